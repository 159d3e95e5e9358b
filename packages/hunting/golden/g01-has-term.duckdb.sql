SELECT * FROM (SELECT "DeviceName" AS "DeviceName", "FileName" AS "FileName" FROM (SELECT * FROM (SELECT "DeviceName", "FileName", "ProcessCommandLine" FROM "DeviceProcessEvents") AS _t WHERE (contains(lower("ProcessCommandLine"), $2) AND regexp_matches("ProcessCommandLine", $1))) AS _t) AS _t ORDER BY "FileName" ASC NULLS FIRST
-- params: ["(?i)(^|[^0-9a-z])cmd\\.exe($|[^0-9a-z])","cmd.exe"]
