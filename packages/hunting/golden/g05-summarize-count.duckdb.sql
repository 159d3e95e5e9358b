SELECT * FROM (SELECT "DeviceName" AS "DeviceName", count(*) AS "Count" FROM (SELECT coalesce("DeviceName", '') AS "DeviceName" FROM "DeviceProcessEvents") AS _t GROUP BY 1) AS _t ORDER BY "DeviceName" ASC NULLS FIRST
-- params: []
