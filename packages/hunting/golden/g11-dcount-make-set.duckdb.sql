SELECT "Devices" AS "Devices", json_array_length("Users") AS "UserCount" FROM (SELECT count(DISTINCT "DeviceId") AS "Devices", coalesce(to_json(list(DISTINCT "AccountName") FILTER (WHERE "AccountName" IS NOT NULL)), '[]'::JSON) AS "Users" FROM (SELECT coalesce("DeviceId", '') AS "DeviceId", coalesce("AccountName", '') AS "AccountName" FROM "DeviceProcessEvents") AS _t) AS _t
-- params: []
