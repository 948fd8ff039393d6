// Vite for the Tauri field app and the supervisor console: two entries (`index.html`, the field
// app; `console.html`, the console served by gridwalk-server at /console/) built into one `dist/`,
// fixed dev port 1420, relative base so the bundles load from Tauri's custom protocol and from
// /console/, WebKitGTK-level syntax (safari15 / es2021), no network assets.
// Also the Vitest configuration (happy-dom).
/// <reference types="vitest/config" />
import { defineConfig } from 'vite'
import vue from '@vitejs/plugin-vue'
import type { Plugin } from 'vite'
import { fileURLToPath } from 'node:url'

/**
 * Vant ships its icon font as a data: URL inside its CSS. A strict CSP (`default-src 'self'`)
 * blocks data: fonts, so the build moves each one into a file next to the CSS, and drops the
 * fallback font URLs on other hosts (nothing is ever loaded from the network).
 */
function fontsOutOfCss(): Plugin {
  return {
    name: 'gridwalk-fonts-out-of-css',
    apply: 'build',
    generateBundle(_opts, bundle) {
      let n = 0
      for (const file of Object.values(bundle)) {
        if (file.type !== 'asset' || !file.fileName.endsWith('.css') || typeof file.source !== 'string') continue
        file.source = file.source.replace(/url\(\s*["']?data:font\/(woff2?|ttf);(?:charset=[^;]+;)?base64,([A-Za-z0-9+/=]+)["']?\s*\)/g,
          (_m, ext: string, b64: string) => {
            const name = `font-${n++}.${ext}`
            const bin = atob(b64)
            const bytes = new Uint8Array(bin.length)
            for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i)
            const dir = file.fileName.includes('/') ? file.fileName.slice(0, file.fileName.lastIndexOf('/') + 1) : ''
            this.emitFile({ type: 'asset', fileName: `${dir}${name}`, source: bytes })
            return `url(./${name})`
          })
          .replace(/,\s*url\(\s*["']?(?:https?:)?\/\/[^)]*\)\s*format\([^)]*\)/g, '')
      }
    },
  }
}

export default defineConfig({
  base: './',
  plugins: [vue(), fontsOutOfCss()],
  clearScreen: false,
  define: {
    __VUE_OPTIONS_API__: 'true',
    __VUE_PROD_DEVTOOLS__: 'false',
    __VUE_PROD_HYDRATION_MISMATCH_DETAILS__: 'false',
    __VUE_I18N_FULL_INSTALL__: 'true',
    __VUE_I18N_LEGACY_API__: 'false',
    __INTLIFY_PROD_DEVTOOLS__: 'false',
  },
  server: {
    port: 1420,
    strictPort: true,
    host: '127.0.0.1',
    watch: { ignored: ['**/src-tauri/**'] },
  },
  preview: { host: '127.0.0.1' },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: ['safari15', 'es2021'],
    sourcemap: false,
    chunkSizeWarningLimit: 900,
    rolldownOptions: {
      input: {
        main: fileURLToPath(new URL('./index.html', import.meta.url)),
        console: fileURLToPath(new URL('./console.html', import.meta.url)),
      },
    },
  },
  test: {
    environment: 'happy-dom',
    include: ['tests/**/*.test.ts'],
  },
})
