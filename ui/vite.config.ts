import { defineConfig } from "vitest/config";
import { svelte } from "@sveltejs/vite-plugin-svelte";
import { svelteTesting } from "@testing-library/svelte/vite";

/** Component tests: rendered into a DOM (jsdom) with Svelte's browser build. */
const COMPONENT_TESTS = ["src/components/**/*.test.ts", "src/**/*.svelte.test.ts"];

// The Tauri shell embeds ui/dist and serves it through its custom protocol,
// so every asset URL must be relative.
export default defineConfig({
  plugins: [svelte()],
  base: "./",
  clearScreen: false,
  server: { port: 1420, strictPort: true },
  build: { outDir: "dist", emptyOutDir: true },
  test: {
    // `vitest run` runs both: the pure modules in node, the components in jsdom.
    projects: [
      {
        extends: true,
        test: { name: "unit", include: ["src/**/*.test.ts"], exclude: COMPONENT_TESTS, environment: "node" },
      },
      {
        extends: true,
        // Resolves Svelte's browser build and unmounts what each test rendered.
        plugins: [svelteTesting()],
        test: { name: "components", include: COMPONENT_TESTS, environment: "jsdom" },
      },
    ],
  },
});
