// Jest global setup: where the browser tests cannot run, say so once, loudly, before anything else.
import { existsSync } from 'node:fs';
import process from 'node:process';

export default function browserNotice() {
  if (!existsSync('/usr/bin/chromium') && process.env.REQUIRE_BROWSER !== '1') {
    process.stderr.write(
      '\n*** BROWSER TESTS SKIPPED: /usr/bin/chromium not found (apt-get install -y chromium; REQUIRE_BROWSER=1 makes this a failure) ***\n\n',
    );
  }
}
