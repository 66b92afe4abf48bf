-- A series that is paused or ended today was so from its last change on.
INSERT INTO series_timeline (series_id, position, on_date, kind, reason, approximate, recorded_at)
SELECT id, 1, CAST(updated_at AS DATE), status, CASE WHEN status = 'paused' THEN status_reason END, FALSE, updated_at
FROM meeting_series WHERE status IN ('paused', 'ended');
