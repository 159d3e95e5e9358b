import { describe, expect, it } from 'vitest';
import { bool, executableOf, fileNameOf, int32, long, splitAccount, splitHashes, text } from './field-values.js';

describe('field values', () => {
  it.each([
    [undefined, undefined],
    [null, undefined],
    ['', undefined],
    ['-', undefined],
    ['x', 'x'],
    [42, '42'],
    [{ '#text': 'wrapped' }, 'wrapped'],
  ])('text(%j) is %j', (input, expected) => {
    expect(text(input)).toBe(expected);
  });

  it.each([
    ['5136', 5136],
    [5136, 5136],
    ['0x1410', 5136],
    ['0x3e7', 999],
    ['0xffffffffffffffff', '-1'],
    ['18446744073709551615', undefined],
    ['9223372036854775807', '9223372036854775807'],
    ['-', undefined],
    ['12ab', undefined],
  ])('long(%j) is %j', (input, expected) => {
    expect(long(input)).toBe(expected);
  });

  it('reads ports and flags', () => {
    expect(int32('443')).toBe(443);
    expect(int32('-')).toBeUndefined();
    expect(int32('4294967296')).toBeUndefined();
    expect(bool('true')).toBe(true);
    expect(bool('False')).toBe(false);
    expect(bool('maybe')).toBeUndefined();
  });

  it('splits paths, accounts and hashes', () => {
    expect(fileNameOf('C:\\Windows\\System32\\cmd.exe')).toBe('cmd.exe');
    expect(fileNameOf('/usr/bin/bash')).toBe('bash');
    expect(splitAccount('NT AUTHORITY\\SYSTEM')).toEqual({ domain: 'NT AUTHORITY', name: 'SYSTEM' });
    expect(splitAccount('root')).toEqual({ name: 'root' });
    expect(
      splitHashes(
        'SHA1=84D6F989C265677627306E01E5A2525E39B176B1,MD5=A9DF466F89B546452C955C6DFC91BF0F,' +
          'SHA256=8A0BF768502C8006CEAC62E3F1564E6893595170A4601E89B0F67C574EC98C41,IMPHASH=46B1EC0A16C340EBA5EDDD8E6BE9B4F6',
      ),
    ).toEqual({
      SHA1: '84d6f989c265677627306e01e5a2525e39b176b1',
      MD5: 'a9df466f89b546452c955c6dfc91bf0f',
      SHA256: '8a0bf768502c8006ceac62e3f1564e6893595170a4601e89b0f67c574ec98c41',
    });
    expect(splitHashes('MD5=zz')).toEqual({});
  });

  it.each([
    ['"C:\\Program Files\\App\\app.exe" -k netsvcs', 'C:\\Program Files\\App\\app.exe'],
    ['C:\\Windows\\system32\\svchost.exe -k LocalService', 'C:\\Windows\\system32\\svchost.exe'],
    ['C:\\Program Files\\x\\drv.sys', 'C:\\Program Files\\x\\drv.sys'],
    ['%COMSPEC% /c echo', '%COMSPEC%'],
    ['', undefined],
  ])('executableOf(%j) is %j', (input, expected) => {
    expect(executableOf(input)).toBe(expected);
  });
});
