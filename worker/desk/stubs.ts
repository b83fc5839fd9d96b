// Where a conversation's and a site's desk objects are: by name, so any isolate
// anywhere reaches the same one. A conversation's name holds its site, so one
// site's conversation id never reaches another site's conversation.
import type { Env } from '../env';

export const roomOf = (env: Pick<Env, 'CONVERSATION_ROOM'>, site: string, c: string) => env.CONVERSATION_ROOM.get(env.CONVERSATION_ROOM.idFromName(`${site}:${c}`));

export const deskOf = (env: Pick<Env, 'DESK_ROOM'>, site: string) => env.DESK_ROOM.get(env.DESK_ROOM.idFromName(site));
