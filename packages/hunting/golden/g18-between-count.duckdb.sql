SELECT count(*) AS "Count" FROM (SELECT * FROM (SELECT "Timestamp" FROM "DeviceProcessEvents") AS _t WHERE ("Timestamp" BETWEEN TIMESTAMP '2026-11-21 00:00:00.000000' AND TIMESTAMP '2026-11-21 23:59:59.000000')) AS _t
-- params: []
