/// <reference lib="dom" />
import type { LiveEvent } from './api-types.js';

/**
 * finkit's WebSocket, kept open: on a drop it reconnects with `?lastEventId=` so the server
 * replays what was missed (or says `events.missed`, and the caller reloads everything).
 */
export function connectLiveEvents(input: {
  token: string;
  onEvent(event: LiveEvent): void;
  onState(state: 'connecting' | 'open' | 'closed'): void;
}): void {
  let lastEventId: number | null = null;
  let retry = 0;
  const open = () => {
    input.onState('connecting');
    const url = new URL('/ws', location.href);
    url.protocol = location.protocol === 'https:' ? 'wss:' : 'ws:';
    url.searchParams.set('token', input.token);
    if (lastEventId !== null) url.searchParams.set('lastEventId', String(lastEventId));
    const socket = new WebSocket(url);
    socket.addEventListener('open', () => {
      retry = 0;
      input.onState('open');
    });
    socket.addEventListener('message', (message) => {
      const event = JSON.parse(String(message.data)) as LiveEvent;
      if (typeof event.id === 'number') lastEventId = event.id;
      input.onEvent(event);
    });
    socket.addEventListener('close', () => {
      input.onState('closed');
      // Back off up to 10 s so a stopped server is not hammered.
      retry = Math.min(retry + 1, 5);
      setTimeout(open, 2 ** retry * 300);
    });
  };
  open();
}
