import { api, type SecretsInfo, type Settings } from "./api";

const NO_SECRETS: SecretsInfo = { backend: "keyring", path: null, smtp_password_set: false };

const DEFAULTS: Settings = {
  remote_images: false,
  smtp: { host: null, port: 587, security: "starttls", user: null, from: null },
  alerts_timezone: null,
  alerts_news_max_age_days: 7,
  fetch: { interval_minutes: 30, concurrency: 8, user_agent: null, proxy: null, default_user_agent: "" },
  system_timezone: "",
  secrets: NO_SECRETS,
};

/**
 * The analyst's preferences, loaded once and shared by the pages that use them (Settings, the reader).
 * Until they are loaded the defaults apply: remote pictures stay off.
 */
class SettingsStore {
  value = $state<Settings | null>(null);
  saving = $state(false);
  #loading: Promise<Settings> | null = null;

  /** Remote pictures may load in the reader. */
  get remoteImages(): boolean {
    return this.value?.remote_images ?? DEFAULTS.remote_images;
  }

  get loaded(): boolean {
    return this.value !== null;
  }

  /** Loads the settings unless they are loaded (or loading) already; rejects with an AppError. */
  load(): Promise<Settings> {
    if (this.value) return Promise.resolve(this.value);
    if (!this.#loading) {
      this.#loading = api.getSettings().then(
        (settings) => {
          this.value = settings;
          return settings;
        },
        (e: unknown) => {
          // A later call tries again.
          this.#loading = null;
          throw e;
        },
      );
    }
    return this.#loading;
  }

  /** Where secrets are kept and whether the SMTP password is set (as the backend last said). */
  get secrets(): SecretsInfo {
    return this.value?.secrets ?? NO_SECRETS;
  }

  /** Stores a secret (write-only) and keeps what the backend says about the secrets. Rejects with an AppError. */
  async setSecret(name: string, value: string): Promise<SecretsInfo> {
    const secrets = await api.setSecret(name, value);
    if (this.value) this.value = { ...this.value, secrets };
    return secrets;
  }

  /** Saves a change; the stored settings (as the backend returns them) replace ours. Rejects with an AppError. */
  async save(change: Partial<Settings>): Promise<Settings> {
    this.saving = true;
    try {
      const saved = await api.saveSettings({ ...DEFAULTS, ...this.value, ...change });
      this.value = saved;
      return saved;
    } finally {
      this.saving = false;
    }
  }
}

export const settings = new SettingsStore();
