SELECT (epoch(("t1" - "t0")) / epoch(to_microseconds(CAST(60000000 AS BIGINT)))) AS "minutes", ("t1" - "t0") AS "span" FROM (SELECT min("Timestamp") AS "t0", max("Timestamp") AS "t1" FROM (SELECT "Timestamp", coalesce("DeviceId", '') AS "DeviceId" FROM "DeviceProcessEvents" WHERE ("DeviceId" = CAST($1 AS VARCHAR))) AS _t) AS _t
-- params: ["d1"]
