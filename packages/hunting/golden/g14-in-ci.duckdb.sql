SELECT * FROM (SELECT "ProcessId" AS "ProcessId" FROM (SELECT * FROM (SELECT coalesce("FileName", '') AS "FileName", "ProcessId", coalesce("AccountName", '') AS "AccountName" FROM "DeviceProcessEvents") AS _t WHERE ((lower("FileName") IN ($1, $2)) AND (NOT ("AccountName" IN (CAST($3 AS VARCHAR)))))) AS _t) AS _t ORDER BY "ProcessId" ASC NULLS FIRST
-- params: ["cmd.exe","net.exe","bob"]
