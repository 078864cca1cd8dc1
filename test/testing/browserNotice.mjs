// Jest global setup: where the browser tests cannot run, say so once, loudly, before anything else.
import { existsSync } from 'node:fs';
import process from 'node:process';

export default function browserNotice() {
  // The same path as test/testing/browser.ts, which this plain module cannot import.
  const chromium = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
  if (!existsSync(chromium) && process.env.REQUIRE_BROWSER !== '1') {
    process.stderr.write(
      `\n*** BROWSER TESTS SKIPPED: ${chromium} not found (apt-get install -y chromium, or set CHROMIUM_PATH; REQUIRE_BROWSER=1 makes this a failure) ***\n\n`,
    );
  }
}
