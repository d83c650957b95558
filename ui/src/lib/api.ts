import { Channel } from "@tauri-apps/api/core";
import { commands, events } from "./bindings";
import type {
  AlertQuery,
  AlertRuleDraft,
  AlertsChanged,
  AnalysisQuery,
  CardsQuery,
  MarkAllRead,
  OpenAlert,
  BackfillProgress,
  ExportProgress,
  FetchProgress,
  MentionQuery,
  NewSource,
  NewTopic,
  ReportDefinition,
  ReportSchedule,
  ReportScope,
  SearchQuery,
  Settings,
  SourceUpdate,
  SpikeSpec,
} from "./bindings";
import { call, toAppError } from "./errors";

export type * from "./bindings";
export { AppError, toAppError } from "./errors";

/**
 * The only door to the backend. Each function resolves with the command's data
 * or rejects with an AppError; nothing outside this module sees a Result.
 */
export const api = {
  appInfo: () => call(() => commands.appInfo()),
  showDataFolder: () => call(() => commands.showDataFolder()),
  overview: () => call(() => commands.overview()),
  analysis: (query: AnalysisQuery) => call(() => commands.analysis(query)),
  topicCards: (query: CardsQuery) => call(() => commands.topicCards(query)),
  /** Every source's articles a day, the last 30 days of this zone. */
  sourceActivity: (timezone: string | null) => call(() => commands.sourceActivity(timezone)),

  listSources: () => call(() => commands.listSources()),
  addSource: (source: NewSource) => call(() => commands.addSource(source)),
  removeSource: (id: number) => call(() => commands.removeSource(id)),
  updateSource: (id: number, update: SourceUpdate) => call(() => commands.updateSource(id, update)),
  importOpml: (path: string) => call(() => commands.importOpml(path)),
  exportOpml: (path: string) => call(() => commands.exportOpml(path)),
  /** Adds saved HTML pages or JSON-lines articles (a file or a folder) to the "import" sources. */
  importArticles: (path: string) => call(() => commands.importArticles(path)),
  /** Fetches one source (or all when sourceId is null), reporting progress through a Tauri channel. */
  fetchNow: (sourceId: number | null, onProgress: (event: FetchProgress) => void) =>
    call(() => {
      // The handler goes in through the constructor so no early message can be missed.
      const channel = new Channel<FetchProgress>(onProgress);
      return commands.fetchNow(sourceId, channel);
    }),
  /** Resolves true when a running fetch was asked to stop. */
  cancelFetch: async (): Promise<boolean> => {
    try {
      return await commands.cancelFetch();
    } catch (e) {
      throw toAppError(e);
    }
  },

  listTopics: () => call(() => commands.listTopics()),
  /**
   * Adds a topic; the backend re-matches every stored article first (a backfill), reporting progress through
   * a Tauri channel. Rejects with code `cancelled` when `cancelBackfill` stopped it: then nothing was added.
   */
  addTopic: (topic: NewTopic, onProgress: (event: BackfillProgress) => void) =>
    call(() => {
      const channel = new Channel<BackfillProgress>(onProgress);
      return commands.addTopic(topic, channel);
    }),
  /** Changes a topic and re-matches the stored articles, like addTopic; cancelled, the topic stays as it was. */
  editTopic: (id: number, topic: NewTopic, onProgress: (event: BackfillProgress) => void) =>
    call(() => {
      const channel = new Channel<BackfillProgress>(onProgress);
      return commands.editTopic(id, topic, channel);
    }),
  /** Resolves true when a running backfill (addTopic / editTopic) was asked to stop. */
  cancelBackfill: async (): Promise<boolean> => {
    try {
      return await commands.cancelBackfill();
    } catch (e) {
      throw toAppError(e);
    }
  },
  /** What `query` would flag among the stored articles (all counted, the newest `limit` returned). */
  previewTopic: (query: string, stem: boolean, limit: number) => call(() => commands.previewTopic(query, stem, limit)),
  removeTopic: (id: number) => call(() => commands.removeTopic(id)),
  checkQuery: (query: string) => call(() => commands.checkQuery(query)),
  defaultTopics: () => call(() => commands.defaultTopics()),
  installDefaultTopics: () => call(() => commands.installDefaultTopics()),

  listMentions: (query: MentionQuery) => call(() => commands.listMentions(query)),
  /** The Mentions pane beyond the topics: how many starred articles a topic flags, each source group's unread. */
  mentionsPane: () => call(() => commands.mentionsPane()),
  /** Marks articles read or unread again; resolves with how many changed. */
  setRead: (articleIds: number[], read: boolean) => call(() => commands.setRead(articleIds, read)),
  /** Marks read every unread mention of a filter that was stored by `seen_at`. */
  markAllRead: (request: MarkAllRead) => call(() => commands.markAllRead(request)),
  getArticle: (id: number) => call(() => commands.getArticle(id)),
  /** Full-text search over every stored article in the topic query language; an invalid query rejects with `invalid_query`. */
  search: (query: SearchQuery) => call(() => commands.search(query)),
  /**
   * The search's matches counted per topic, source and language under its filters (the newest `capped` only
   * when it says so). A newer call, or `cancelSearchFacets`, makes this one reject with code `cancelled`.
   */
  searchFacets: (query: SearchQuery) => call(() => commands.searchFacets(query)),
  cancelSearchFacets: async (): Promise<boolean> => {
    try {
      return await commands.cancelSearchFacets();
    } catch (e) {
      throw toAppError(e);
    }
  },

  getSettings: () => call(() => commands.getSettings()),
  saveSettings: (settings: Settings) => call(() => commands.saveSettings(settings)),
  /** Stores a secret (`smtp.password`) in the OS keyring, or the user-only file where there is none; never read back. */
  setSecret: (name: string, value: string) => call(() => commands.setSecret(name, value)),
  /** Sends one e-mail to `to` through the SMTP settings; rejects with the server's answer. */
  sendTestEmail: (to: string) => call(() => commands.sendTestEmail(to)),

  listAlertRules: () => call(() => commands.listAlertRules()),
  addAlertRule: (rule: AlertRuleDraft) => call(() => commands.addAlertRule(rule)),
  /** Changes a rule: what the draft leaves null stays; an empty quiet, min_interval or secret clears it. */
  editAlertRule: (id: number, changes: AlertRuleDraft) => call(() => commands.editAlertRule(id, changes)),
  removeAlertRule: (id: number) => call(() => commands.removeAlertRule(id)),
  /** Sends a test alert through each of the rule's channels now; resolves with each channel's answer. */
  testAlertRule: (id: number) => call(() => commands.testAlertRule(id)),
  /** The topic's daily counts over 30 days and when a spike rule with `spec` would have fired in them. */
  spikePreview: (topic: string, spec: SpikeSpec) => call(() => commands.spikePreview(topic, spec)),
  /** Fired alerts, newest first. */
  listAlerts: (query: AlertQuery) => call(() => commands.listAlerts(query)),
  getAlert: (id: number) => call(() => commands.getAlert(id)),
  /** Marks one alert read, or every unread one when `id` is null; resolves with how many changed. */
  markAlertsRead: (id: number | null) => call(() => commands.markAlertsRead(id)),
  unreadAlertCount: () => call(() => commands.unreadAlertCount()),
  /** The zone of rules that name none: the alerts time zone setting, else the system's. */
  alertsTimezone: () => call(() => commands.alertsTimezone()),

  /** How much a report scope covers (mentions, articles, stories, sources); a bad scope rejects (e.g. `invalid_query`). */
  reportCount: (scope: ReportScope) => call(() => commands.reportCount(scope)),
  /** The count, the first rows and, for PDF and HTML, the first page as a self-contained HTML document. */
  previewReport: (definition: ReportDefinition) => call(() => commands.previewReport(definition)),
  /**
   * Writes a report to `path`, reporting progress (articles written of those in scope) through a Tauri channel.
   * Rejects with code `cancelled` when `cancelExport` stopped it: then the file at `path` is left as it was.
   */
  exportReport: (definition: ReportDefinition, path: string, onProgress: (event: ExportProgress) => void) =>
    call(() => {
      const channel = new Channel<ExportProgress>(onProgress);
      return commands.exportReport(definition, path, channel);
    }),
  /** Resolves true when a running export was asked to stop. */
  cancelExport: async (): Promise<boolean> => {
    try {
      return await commands.cancelExport();
    } catch (e) {
      throw toAppError(e);
    }
  },
  /** Opens a report written in this session in the system's viewer, or with `folder` shows it in its folder. */
  openReport: (path: string, folder: boolean) => call(() => commands.openReport(path, folder)),
  listReports: () => call(() => commands.listReports()),
  /** Saves a definition under a name; a saved report of that name gets the new definition. */
  saveReport: (name: string, definition: ReportDefinition) => call(() => commands.saveReport(name, definition)),
  removeReport: (name: string) => call(() => commands.removeReport(name)),
  /** Schedules a saved report (daily or weekly, into a folder or by e-mail), or with null stops it. */
  scheduleReport: (name: string, schedule: ReportSchedule | null) => call(() => commands.scheduleReport(name, schedule)),
  /** Writes a saved report now to `path`. */
  runReport: (name: string, path: string) => call(() => commands.runReport(name, path)),
  /** Stars an article for reports ("starred only"), or takes the star away. */
  starArticle: (id: number, starred: boolean) => call(() => commands.starArticle(id, starred)),
};

/**
 * Calls `onProgress` for every event of the fetch cycles the background scheduler runs.
 * Resolves with the function that stops listening.
 */
export function onBackgroundFetch(onProgress: (event: FetchProgress) => void): Promise<() => void> {
  return events.backgroundFetch.listen((e) => onProgress(e.payload));
}

/**
 * Calls `onChange` whenever the shell sees the alerts change (one fired, or was taken for a desktop
 * notification), with the unread count. Resolves with the function that stops listening.
 */
export function onAlertsChanged(onChange: (event: AlertsChanged) => void): Promise<() => void> {
  return events.alertsChanged.listen((e) => onChange(e.payload));
}

/**
 * Calls `onOpen` when the analyst clicks a desktop notification: the shell has brought the window up, and the
 * alert (or, for several folded into one, the inbox) is to be shown. Resolves with the function that stops
 * listening.
 */
export function onOpenAlert(onOpen: (event: OpenAlert) => void): Promise<() => void> {
  return events.openAlert.listen((e) => onOpen(e.payload));
}
