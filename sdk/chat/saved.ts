// What the chat keeps in localStorage, per site: the conversation id and its
// secret (a conversation id alone opens nothing: the room checks the secret and
// the visitor id), and the messages sent but not yet acknowledged, which the
// next page sends again with the same ids.
import { store } from '../storage';
import type { Pending } from './socket';

export interface Saved {
  c?: string; // conversation id
  k?: string; // its secret
  p: Pending[]; // unacknowledged messages
}

const key = (site: string) => 'o2o_chat_' + site;

export const load = (site: string): Saved => store<Saved | null>(key(site)) || { p: [] };
export const save = (site: string, s: Saved): Saved => store(key(site), s);
