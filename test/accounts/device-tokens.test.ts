import { describe, expect, it, vi } from "vitest";
import { authenticate } from "~/server/auth/authenticate";
import { DEVICE_TOKEN_LIFETIME_SECONDS, renewDeviceCookie, trustedDeviceId } from "~/server/auth/device";
import { DEVICE_FREE_FAILURES, MAX_GUESSING_DEVICES } from "~/server/auth/rate-limit";
import { changePassword } from "~/server/services/account";
import { countRows, db, freshIp, makeUser, PASSWORD, pool } from "./support";

const tooMany = { code: "TOO_MANY_REQUESTS" };

/** Failed sign-ins of `accountKey` from browsers without a device token (an attacker guessing), just now. */
async function strangersFail(accountKey: string, count: number) {
  await pool.query(
    `INSERT INTO auth_attempts (kind, account_key, ip_address, succeeded)
     SELECT 'signin', $1, $2, false FROM generate_series(1, $3)`,
    [accountKey, freshIp(), count],
  );
}

/** The device cookie a browser holds after signing in to `email` once. */
async function trustedBrowser(email: string): Promise<string> {
  return (await authenticate({ db, identifier: email, password: PASSWORD, ip: freshIp() })).deviceCookie;
}

describe("device tokens", () => {
  it("let a browser that signed in before through an account backed off by strangers' failures; a new browser waits", async () => {
    const user = await makeUser();
    const cookie = await trustedBrowser(user.email);
    await strangersFail(user.email, 12);
    const ip = freshIp();
    // Its address is backed off too (say, the attacker shares it): still not slowed.
    await pool.query(
      `INSERT INTO auth_attempts (kind, account_key, ip_address, succeeded) SELECT 'signin', 'x', $1, false FROM generate_series(1, 30)`,
      [ip],
    );

    await expect(authenticate({ db, identifier: user.email, password: PASSWORD, ip: freshIp() })).rejects.toMatchObject(
      tooMany,
    );
    const signedIn = await authenticate({ db, identifier: user.email, password: PASSWORD, ip, deviceCookie: cookie });
    expect(signedIn.id).toBe(user.id);
    // Each sign-in renews the token.
    expect(trustedDeviceId(signedIn.deviceCookie, user.id, 0)).not.toBe(trustedDeviceId(cookie, user.id, 0));
    await expect(authenticate({ db, identifier: user.email, password: PASSWORD, ip: freshIp() })).rejects.toMatchObject(
      tooMany,
    );
  });

  it("count a trusted browser's failures against it alone", async () => {
    const user = await makeUser();
    const cookie = await trustedBrowser(user.email);
    const deviceId = trustedDeviceId(cookie, user.id, 0);
    const ip = freshIp();
    for (let i = 0; i < DEVICE_FREE_FAILURES - 1; i++) {
      await expect(
        authenticate({ db, identifier: user.email, password: "typo typo", ip, deviceCookie: cookie }),
      ).rejects.toMatchObject({
        code: "UNAUTHORIZED",
      });
    }
    expect(await countRows("SELECT 1 FROM auth_attempts WHERE device_id = $1 AND NOT succeeded", [deviceId])).toBe(
      DEVICE_FREE_FAILURES - 1,
    );
    // The owner's typos slow neither the account for other browsers nor the address.
    await strangersFail(user.email, 4);
    await expect(authenticate({ db, identifier: user.email, password: PASSWORD, ip })).resolves.toMatchObject({
      id: user.id,
    });

    // Enough failures of its own back the browser off, even with the right password.
    await pool.query(
      `INSERT INTO auth_attempts (kind, account_key, ip_address, succeeded, device_id)
       SELECT 'signin', $1, $2, false, $3 FROM generate_series(1, 4)`,
      [user.email, ip, deviceId],
    );
    await expect(
      authenticate({ db, identifier: user.email, password: PASSWORD, ip, deviceCookie: cookie }),
    ).rejects.toMatchObject(tooMany);
  });

  it("trust no forged, foreign or malformed token", async () => {
    const user = await makeUser();
    const other = await makeUser();
    const cookie = await trustedBrowser(user.email);
    const foreign = await trustedBrowser(other.email);
    await strangersFail(user.email, 12);
    const [userId, nonce, expires, mac] = cookie.split(".");
    const forged = [
      `${userId}.${nonce}.${expires}.${mac!.slice(0, -2)}AA`,
      `${userId}.AAAAAAAAAAAAAAAAAAAAAA.${expires}.${mac}`,
      foreign,
      `${other.id}.${nonce}.${expires}.${mac}`,
      "garbage",
      `${cookie}~`.repeat(3),
    ];
    forged.splice(4, 0, `${userId}.${nonce}.${Number(expires) + 1}.${mac}`);
    for (const deviceCookie of forged.slice(0, 6)) {
      await expect(
        authenticate({ db, identifier: user.email, password: PASSWORD, ip: freshIp(), deviceCookie }),
        deviceCookie,
      ).rejects.toMatchObject(tooMany);
    }
    // A cookie holding several tokens is read token by token.
    expect(trustedDeviceId(forged[6], user.id, 0)).toBe(nonce);
  });

  it("keep the tokens of a few accounts per browser", () => {
    const ids = Array.from({ length: 7 }, (_, i) => `00000000-0000-4000-8000-00000000000${i}`);
    let cookie: string | undefined;
    for (const id of ids) cookie = renewDeviceCookie(cookie, id, 0);
    expect(ids.map((id) => trustedDeviceId(cookie, id, 0) !== null)).toEqual([
      false,
      false,
      true,
      true,
      true,
      true,
      true,
    ]);
    const again = renewDeviceCookie(cookie, ids[4]!, 0);
    expect(again.split("~")).toHaveLength(5);
    expect(again.startsWith(ids[4]!)).toBe(true);
  });

  it("die when the password changes", async () => {
    const user = await makeUser();
    const cookie = await trustedBrowser(user.email);
    const newPassword = "a brand new passphrase";
    await changePassword({
      db,
      userId: user.id,
      ip: freshIp(),
      deviceCookie: cookie,
      currentPassword: PASSWORD,
      newPassword,
    });
    await strangersFail(user.email, 12);
    // Whoever kept the token from before the change (it counted its guesses apart) is a stranger now.
    await expect(
      authenticate({ db, identifier: user.email, password: newPassword, ip: freshIp(), deviceCookie: cookie }),
    ).rejects.toMatchObject(tooMany);
  });

  it("expire after their lifetime, renewed at each sign-in", () => {
    const userId = "00000000-0000-4000-8000-000000000001";
    const cookie = renewDeviceCookie(undefined, userId, 3);
    expect(trustedDeviceId(cookie, userId, 3)).not.toBeNull();
    vi.useFakeTimers({ toFake: ["Date"] });
    try {
      vi.setSystemTime(Date.now() + (DEVICE_TOKEN_LIFETIME_SECONDS - 60) * 1000);
      expect(trustedDeviceId(cookie, userId, 3)).not.toBeNull();
      const renewed = renewDeviceCookie(cookie, userId, 3);
      vi.setSystemTime(Date.now() + 120 * 1000);
      expect(trustedDeviceId(cookie, userId, 3)).toBeNull();
      expect(trustedDeviceId(renewed, userId, 3)).not.toBeNull();
    } finally {
      vi.useRealTimers();
    }
  });

  it(`let at most ${MAX_GUESSING_DEVICES} devices of one account guess on their own budgets`, async () => {
    const user = await makeUser();
    // Whoever knows the password can collect tokens by signing in again and again.
    const cookies: string[] = [];
    for (let i = 0; i <= MAX_GUESSING_DEVICES; i++) cookies.push(await trustedBrowser(user.email));
    await strangersFail(user.email, 12);
    for (const deviceCookie of cookies.slice(0, MAX_GUESSING_DEVICES)) {
      await expect(
        authenticate({ db, identifier: user.email, password: "a guess", ip: freshIp(), deviceCookie }),
      ).rejects.toMatchObject({
        code: "UNAUTHORIZED",
      });
    }
    // One more device is a stranger: the account's back-off applies to it.
    await expect(
      authenticate({
        db,
        identifier: user.email,
        password: PASSWORD,
        ip: freshIp(),
        deviceCookie: cookies[MAX_GUESSING_DEVICES],
      }),
    ).rejects.toMatchObject(tooMany);
    // The devices that guessed keep their own budgets.
    await expect(
      authenticate({ db, identifier: user.email, password: PASSWORD, ip: freshIp(), deviceCookie: cookies[0] }),
    ).resolves.toMatchObject({
      id: user.id,
    });
  });
});
