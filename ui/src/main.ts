// First: a valid navigator.language before any module formats numbers with it (see lib/locale.ts).
import "./lib/locale";
import { mount } from "svelte";
import App from "./App.svelte";
import "./app.css";
import { unreadAlerts } from "./lib/alerts.svelte";
import { fetcher } from "./lib/fetcher.svelte";
// Sets the theme on the document before the first page draws.
import "./lib/theme.svelte";

const target = document.getElementById("app");
if (!target) throw new Error("Missing #app element"); // i18n-ignore: a broken build, before any page

// Pages re-list after the background scheduler's cycles, not only after "Fetch now".
void fetcher.followBackground();
// The navigation's unread badge follows the alerts from start-up on.
void unreadAlerts.follow();

export default mount(App, { target });
