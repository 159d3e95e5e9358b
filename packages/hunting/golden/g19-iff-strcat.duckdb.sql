SELECT * FROM (SELECT concat("FileName", CAST($1 AS VARCHAR), (CASE WHEN ("ProcessId" > CAST(200 AS BIGINT)) THEN CAST($2 AS VARCHAR) ELSE CAST($3 AS VARCHAR) END)) AS "s" FROM (SELECT * FROM (SELECT "DeviceId", "FileName", "ProcessId" FROM "DeviceProcessEvents") AS _t WHERE ("DeviceId" = CAST($4 AS VARCHAR))) AS _t) AS _t ORDER BY "s" ASC NULLS FIRST
-- params: [":","child","parent","d2"]
