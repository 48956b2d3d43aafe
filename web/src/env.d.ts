/// <reference types="vite/client" />

// `data-*` attributes (data-testid for browser tests, data-severity, …) are allowed on every
// element and component under vueCompilerOptions.strictTemplates.
declare module 'vue' {
  interface HTMLAttributes {
    [key: `data-${string}`]: string | number | boolean | null | undefined;
  }
  interface ComponentCustomProps {
    [key: `data-${string}`]: string | number | boolean | null | undefined;
    dataTestid?: string;
  }
}

export {};

// Element Plus registers v-loading globally (app.use(ElementPlus)); declare it for templates.
declare module 'vue' {
  interface GlobalDirectives {
    vLoading: typeof import('element-plus')['vLoading'];
  }
}
