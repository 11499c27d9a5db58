/**
 * Every room-night the confirmations of one load phase claim: a second confirmation for the same room on the same
 * night is a double booking, the one thing the contract says can never happen however many requests arrive at
 * once. Checked from the answers alone, so the check costs the system under load nothing.
 */
const DAY_MS = 86_400_000;

export class RoomNightLedger {
  private readonly holders = new Map<string, string>();

  /**
   * Records that `reservationId` holds `roomNumber` every night from checkIn to checkOut (YYYY-MM-DD, checkOut
   * excluded); answers a description of the first night another reservation already holds, or undefined.
   */
  hold(reservationId: string, roomNumber: string, checkIn: string, checkOut: string): string | undefined {
    const end = Date.parse(`${checkOut}T00:00:00Z`);
    for (let night = Date.parse(`${checkIn}T00:00:00Z`); night < end; night += DAY_MS) {
      const key = `${roomNumber} ${new Date(night).toISOString().slice(0, 10)}`;
      const holder = this.holders.get(key);
      if (holder !== undefined && holder !== reservationId)
        return `double booking: room ${key} confirmed to ${holder} and ${reservationId}`;
      this.holders.set(key, reservationId);
    }
    return undefined;
  }
}
