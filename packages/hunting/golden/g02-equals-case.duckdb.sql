SELECT * FROM (SELECT * FROM (SELECT "ProcessId" AS "ProcessId", (lower("FileName") = $1) AS "ci", ("FileName" = CAST($2 AS VARCHAR)) AS "cs" FROM (SELECT coalesce("FileName", '') AS "FileName", "ProcessId" FROM "DeviceProcessEvents") AS _t) AS _t WHERE "ci") AS _t ORDER BY "ProcessId" ASC NULLS FIRST
-- params: ["cmd.exe","cmd.exe"]
