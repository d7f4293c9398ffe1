/** What crash-worker.ts and crash-restart.test.ts agree on. */
export const crashSecret = 'whsec_crash';
export const crashUser = 'user-crash';
export const crashKeys = ['k1', 'k2', 'k3'];
/** 23:30 in Paris: quiet hours, so email is held. */
export const sendAt = Date.UTC(2024, 6, 1, 21, 30);
/** 08:00 in Paris the next morning: quiet hours are over and every lease of the killed process has run out. */
export const resumeAt = Date.UTC(2024, 6, 2, 6, 0);
