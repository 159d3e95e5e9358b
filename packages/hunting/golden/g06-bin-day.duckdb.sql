SELECT * FROM (SELECT time_bucket(to_microseconds(CAST(86400000000 AS BIGINT)), "Timestamp", TIMESTAMP '0001-01-01 00:00:00') AS "Timestamp", count(*) AS "n" FROM (SELECT "Timestamp" FROM "DeviceProcessEvents") AS _t GROUP BY 1) AS _t ORDER BY "Timestamp" ASC NULLS FIRST
-- params: []
