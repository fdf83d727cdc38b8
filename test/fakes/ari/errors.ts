// An ARI error the HTTP layer turns into `{ "message": ... }` with a status, as Asterisk does.
export class AriHttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'AriHttpError';
  }
}

export const channelNotFound = (): AriHttpError => new AriHttpError(404, 'Channel not found');
