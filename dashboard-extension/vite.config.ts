/// <reference types="vitest" />
import { defineConfig, type Plugin } from "vite";

/**
 * macaw-ui's stylesheet declares ~50 @font-face rules (Inter, Geist, Geist Mono in every
 * weight, ~4 MB of woff2). The UI only needs Inter's variable roman face, which the
 * stylesheet uses for `html` when font variations are supported. Drop the other faces so
 * Vite does not copy them into the package data.
 */
function macawFontsDiet(keep = ["Inter-roman.var.woff2"]): Plugin {
  return {
    name: "macaw-fonts-diet",
    enforce: "pre",
    transform(code, id) {
      if (!/@saleor[\\/]macaw-ui[\\/]dist[\\/]style\.css/.test(id.split("?")[0])) return null;
      const slim = code.replace(/@font-face\{[^}]*\}/g, (rule) =>
        keep.some((file) => rule.includes(file)) ? rule : "",
      );
      return { code: slim, map: null };
    },
  };
}

export default defineConfig({
  // Served by the plugin at /plugins/global/saleor_amazon_channel/app/: relative asset URLs.
  base: "./",
  plugins: [macawFontsDiet()],
  // No @vitejs/plugin-react: esbuild compiles TSX with the automatic runtime.
  esbuild: { jsx: "automatic" },
  build: {
    // `npm run build` passes --outDir ../saleor_amazon_channel/dashboard --emptyOutDir
    outDir: "../saleor_amazon_channel/dashboard",
    emptyOutDir: true,
    sourcemap: false,
    assetsInlineLimit: 0,
    chunkSizeWarningLimit: 800,
  },
  server: { port: 5173 },
  test: {
    environment: "happy-dom",
    globals: true,
    include: ["tests/**/*.test.{ts,tsx}"],
    setupFiles: ["tests/setup.ts"],
    restoreMocks: true,
  },
});
