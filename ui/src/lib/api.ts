import { Channel } from "@tauri-apps/api/core";
import { commands, events } from "./bindings";
import type { FetchProgress, MentionQuery, NewSource, NewTopic, Settings, SourceUpdate } from "./bindings";
import { call, toAppError } from "./errors";

export type * from "./bindings";
export { AppError, toAppError } from "./errors";

/**
 * The only door to the backend. Each function resolves with the command's data
 * or rejects with an AppError; nothing outside this module sees a Result.
 */
export const api = {
  appInfo: () => call(() => commands.appInfo()),
  overview: () => call(() => commands.overview()),

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
  addTopic: (topic: NewTopic) => call(() => commands.addTopic(topic)),
  removeTopic: (id: number) => call(() => commands.removeTopic(id)),
  checkQuery: (query: string) => call(() => commands.checkQuery(query)),
  defaultTopics: () => call(() => commands.defaultTopics()),
  installDefaultTopics: () => call(() => commands.installDefaultTopics()),

  listMentions: (query: MentionQuery) => call(() => commands.listMentions(query)),
  getArticle: (id: number) => call(() => commands.getArticle(id)),

  getSettings: () => call(() => commands.getSettings()),
  saveSettings: (settings: Settings) => call(() => commands.saveSettings(settings)),
};

/**
 * Calls `onProgress` for every event of the fetch cycles the background scheduler runs.
 * Resolves with the function that stops listening.
 */
export function onBackgroundFetch(onProgress: (event: FetchProgress) => void): Promise<() => void> {
  return events.backgroundFetch.listen((e) => onProgress(e.payload));
}
