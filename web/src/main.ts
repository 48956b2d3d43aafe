import { createApp } from 'vue';
import { createPinia } from 'pinia';
import ElementPlus from 'element-plus';
import zhCn from 'element-plus/es/locale/lang/zh-cn';
import dayjs from 'dayjs';
import 'dayjs/locale/zh-cn';
import 'element-plus/dist/index.css';
import './styles/theme.css';

import App from './App.vue';
import { i18n } from './i18n';
import { createAppRouter } from './router';
import { setAuthHooks } from './api/client';
import { useSessionStore } from './stores/session';

dayjs.locale('zh-cn');

const app = createApp(App);
const pinia = createPinia();
app.use(pinia);
app.use(i18n);
app.use(ElementPlus, { locale: zhCn });
const router = createAppRouter(pinia);
app.use(router);

// Central reactions to auth failures of any API call (see api/client.ts).
setAuthHooks({
  onUnauthorized() {
    const session = useSessionStore(pinia);
    const wasLoggedIn = session.loggedIn;
    session.clear();
    const current = router.currentRoute.value;
    // Before the first /me answer (or when never logged in) the route guard decides.
    if (!wasLoggedIn || current.name === 'login') return;
    void router.replace({
      name: 'login',
      query: { redirect: current.fullPath, reason: 'expired' },
    });
  },
  onPasswordChangeRequired() {
    const session = useSessionStore(pinia);
    void session.load(true).finally(() => {
      if (router.currentRoute.value.name !== 'password') void router.replace({ name: 'password' });
    });
  },
});

app.mount('#app');
