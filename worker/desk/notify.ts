// What a booking tells the chat it was made in: the `booked` frame with the lead
// code and the store's name and address, stored in the conversation as a
// system message (once per lead, whoever calls twice). Called by the booking
// flow (worker/flows/booking.ts) when a lead names its conversation.
import type { StoreCard } from '../../protocol/desk';
import type { Env } from '../env';
import { roomOf } from './stubs';
import { storeCard } from './tables';

export interface Booked {
  lead: string;
  /** The store's id (its card is read from D1) or its card. */
  store: string | StoreCard;
}

/**
 * Posts the booking into the desk conversation `conversation` of `site`: its
 * message seq, or null when it is no desk conversation (an external chat
 * system's id) or the store is unknown. Never throws: the lead is made either way.
 */
export async function notifyBooked(env: Pick<Env, 'DB' | 'CONVERSATION_ROOM'>, site: string, conversation: string, b: Booked): Promise<number | null> {
  try {
    if (!/^[A-Za-z0-9_-]{1,32}$/.test(conversation)) return null; // not one of ours
    const card = typeof b.store === 'string' ? await storeCard(env.DB, site, b.store) : b.store;
    if (!card) return null;
    return await roomOf(env, site, conversation).booked(b.lead, card);
  } catch (err) {
    console.error('notify booked', err);
    return null;
  }
}
