import { defineConfig } from 'vite'
import vue from '@vitejs/plugin-vue'

// The master serves dist/ at `/`, so assets are addressed from the root. In development the
// API is proxied to a running master: SCHEDD_URL, else the default listen address.
const master = process.env.SCHEDD_URL ?? 'http://127.0.0.1:8070'

export default defineConfig({
  base: '/',
  plugins: [vue()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // Ops consoles run on current browsers; no legacy transpilation.
    target: 'es2022',
    chunkSizeWarningLimit: 300,
  },
  server: {
    proxy: {
      // Server-sent events go through the same proxy; http-proxy streams them unbuffered.
      '/api': { target: master, changeOrigin: true },
    },
  },
})
