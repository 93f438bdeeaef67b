import { defineConfig } from 'vite'
import { svelte } from '@sveltejs/vite-plugin-svelte'

export default defineConfig({
  plugins: [svelte()],
  // public/ (favicon.ico, favicon.svg) is copied to dist/ as is.
  // Plotly's basic bundle is one ~1.2 MB chunk, loaded once at app start.
  build: { outDir: 'dist', emptyOutDir: true, chunkSizeWarningLimit: 1300 },
})
