import { col } from '../col.js';
import type { TableSpec } from '../table-spec.js';

/** DeviceFileCertificateInfo: signing certificates of files seen on devices. */
export const deviceFileCertificateInfo = {
  name: 'DeviceFileCertificateInfo',
  description:
    'Certificate information of signed files, gathered by certificate verification that runs regularly on ' +
    'devices: signer, issuer, validity dates and trust. Join it to the event tables on `SHA1`. This table has no ' +
    'ActionType column.',
  group: 'devices',
  writers: ['sensor', 'server'],
  timeColumn: 'Timestamp',
  columns: [
    col('Timestamp', 'datetime', 'Date and time when the certificate record was generated'),
    col('DeviceId', 'string'),
    col('DeviceName', 'string'),
    col('SHA1', 'string', 'SHA-1 hash of the signed file'),
    col('IsSigned', 'bool', 'Whether the file is signed'),
    col(
      'SignatureType',
      'string',
      'Where the signature was read: Embedded in the file itself or from a separate Catalog file',
    ),
    col('Signer', 'string', 'Subject of the certificate that signed the file'),
    col('SignerHash', 'string', 'Unique hash value that identifies the signer'),
    col('Issuer', 'string', 'Certificate authority (CA) that issued the signing certificate'),
    col('IssuerHash', 'string', 'Unique hash value that identifies the issuing certificate authority (CA)'),
    col(
      'CertificateSerialNumber',
      'string',
      'Serial number of the certificate, unique for the issuing certificate authority (CA)',
    ),
    col(
      'CrlDistributionPointUrls',
      'string',
      'URLs where the certificate revocation lists (CRLs) for the certificate are published, as a JSON array in text',
    ),
    col('CertificateCreationTime', 'datetime', 'Date and time when the certificate was created'),
    col('CertificateExpirationTime', 'datetime', 'Date and time when the certificate expires'),
    col('CertificateCountersignatureTime', 'datetime', 'Date and time when the signature was countersigned'),
    col(
      'IsTrusted',
      'bool',
      'Whether the file is trusted according to WinVerifyTrust (known root, valid signature, certificate not revoked)',
    ),
    col(
      'IsRootSignerMicrosoft',
      'bool',
      'Whether the root certificate was signed by Microsoft and the file ships with Windows',
    ),
    col('ReportId', 'long'),
  ],
  examples: [
    {
      title: 'Files signed with a certificate that has since expired',
      query: `DeviceFileCertificateInfo
| where Timestamp > ago(7d)
| where IsSigned == true and CertificateExpirationTime < now()
| summarize Devices = dcount(DeviceId) by Signer, Issuer, CertificateSerialNumber
| sort by Devices desc`,
    },
    {
      title: 'Processes started from untrusted signed files',
      query: `DeviceFileCertificateInfo
| where Timestamp > ago(7d) and IsSigned == true and IsTrusted == false
| distinct SHA1, Signer, Issuer
| join kind=inner (
    DeviceProcessEvents
    | where Timestamp > ago(7d)
    | project Timestamp, DeviceName, FileName, ProcessCommandLine, SHA1
) on SHA1
| project Timestamp, DeviceName, FileName, Signer, Issuer, ProcessCommandLine`,
    },
  ],
} as const satisfies TableSpec;
