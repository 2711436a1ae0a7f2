package io.updraft.scheduler;

import io.updraft.store.AssetEventRepository;
import io.updraft.store.AssetEventRepository.AssetEventRow;
import io.updraft.store.AssetRepository.AssetRow;
import io.updraft.store.Database;
import io.updraft.store.LogRepository;
import java.time.Instant;

/**
 * What a person does to an asset, once for every way in: {@code POST /api/v2/assets/events} and
 * {@code assets create-event}. The event and its audit record ({@code create_asset_event}: who,
 * which asset — never the extra's values) are written in one transaction.
 */
public final class AssetActions {
  private AssetActions() {}

  /**
   * Records an event of an existing asset, made by {@code who} (no source try); returns it.
   *
   * @param extraJson the event's extra, a compact JSON object
   */
  public static AssetEventRow createEvent(
      Database db, AssetRow asset, String extraJson, String who, Instant now) {
    return db.inTransaction(
        () -> {
          AssetEventRepository events = new AssetEventRepository(db);
          long id = events.create(asset.id(), extraJson, now);
          new LogRepository(db)
              .record(
                  "create_asset_event",
                  null,
                  null,
                  null,
                  who,
                  "{\"asset_id\": " + asset.id() + ", \"event_id\": " + id + "}",
                  now);
          return events.get(id).orElseThrow();
        });
  }
}
