import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import request from 'supertest';
import {
  createPerson,
  ensureAdmin,
  signIn,
  type SignedInSession,
  type TestPerson,
} from '../../support/accounts';
import { startTestHaven, type TestHaven } from '../../support/test-haven';
import { actor } from '../clinical/clinical-fixtures';

/** A real photo with EXIF (camera, GPS-like comment) that must not survive the re-encode. */
async function cameraJpeg(width: number, height: number): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 3, background: { r: 200, g: 120, b: 60 } } })
    .jpeg()
    .withExif({ IFD0: { Make: 'MarkerCam', Copyright: 'SECRET-EXIF-MARKER' }, IFD3: { GPSLatitudeRef: 'N' } })
    .toBuffer();
}

describe('directory: practitioner photos are checked and re-encoded', function () {
  this.timeout(60_000);
  let t: TestHaven;
  let therapist: TestPerson;
  let other: TestPerson;
  let th: SignedInSession;

  before(async () => {
    t = await startTestHaven();
    await ensureAdmin(t.haven);
    therapist = await createPerson(t.haven, { roles: ['therapist'], displayName: 'Theo Photo' });
    other = await createPerson(t.haven, { roles: ['therapist'], displayName: 'Olga Other' });
    for (const p of [therapist, other]) {
      await t.haven.directory.saveOwnProfile(actor(p.user), { bio: 'Hello.', languages: 'English' });
    }
    th = await signIn(t.haven, therapist);
  });
  after(async () => t?.stop());

  const upload = async (session: SignedInSession, bytes: Buffer, filename: string, contentType: string) =>
    session.agent
      .post(`/practice-profile/photo?_csrf=${encodeURIComponent(await session.csrf())}`)
      .attach('photo', bytes, { filename, contentType });

  it('accepts a JPEG, stores a 400×400 WebP without its EXIF, and serves it with cache and nosniff headers', async () => {
    const original = await cameraJpeg(1200, 800);
    assert.ok(original.includes('SECRET-EXIF-MARKER'), 'the test photo really carries EXIF');
    const res = await upload(th, original, 'me.jpg', 'image/jpeg');
    assert.equal(res.status, 303);
    assert.equal(res.headers.location, '/practice-profile');

    const stored = path.join(t.dataDir, 'photos', `${therapist.user.id}.webp`);
    assert.ok(existsSync(stored));
    const profile = await th.agent.get(`/directory/profiles/${therapist.user.id}`).expect(200);
    const src = /<img class="profile-photo" src="([^"]+)"/.exec(profile.text)?.[1] ?? '';
    assert.ok(src.startsWith(`/directory/profiles/${therapist.user.id}/photo?v=`), 'the profile shows it');
    const listing = await th.agent.get('/directory').expect(200);
    assert.ok(listing.text.includes(src), 'the directory card shows it');

    const served = await th.agent.get(src).buffer(true).expect(200);
    assert.equal(served.headers['content-type'], 'image/webp');
    assert.equal(served.headers['x-content-type-options'], 'nosniff');
    assert.match(String(served.headers['cache-control']), /max-age=\d+/);
    const body = served.body as Buffer;
    const meta = await sharp(body).metadata();
    assert.equal(meta.format, 'webp');
    assert.equal(meta.width, 400);
    assert.equal(meta.height, 400);
    assert.equal(meta.exif, undefined, 'no EXIF block');
    assert.equal(body.includes('SECRET-EXIF-MARKER'), false);
    assert.equal(body.includes('MarkerCam'), false);
  });

  it('accepts a PNG too (re-encoded to the same size)', async () => {
    const png = await sharp({ create: { width: 300, height: 500, channels: 4, background: '#3366ff' } })
      .png()
      .toBuffer();
    const res = await upload(th, png, 'me.png', 'image/png');
    assert.equal(res.status, 303);
    const stored = await sharp(path.join(t.dataDir, 'photos', `${therapist.user.id}.webp`)).metadata();
    assert.deepEqual([stored.format, stored.width, stored.height], ['webp', 400, 400]);
  });

  it('refuses a text file named .jpg, by its content, with a clear message and keeps the old photo', async () => {
    const before = await t.haven.directory.profile(therapist.user.id);
    assert.ok(before);
    const stored = path.join(t.dataDir, 'photos', `${therapist.user.id}.webp`);
    const kept = await sharp(stored).toBuffer();
    const res = await upload(
      th,
      Buffer.from('<script>alert(1)</script> not a photo'),
      'me.jpg',
      'image/jpeg',
    );
    assert.equal(res.status, 400);
    assert.match(res.text, /not a photo we accept: use a JPEG, PNG or WebP image/);
    assert.deepEqual(await sharp(stored).toBuffer(), kept, 'the previous photo is untouched');
  });

  it('refuses a truncated image that only starts like a JPEG', async () => {
    const half = (await cameraJpeg(200, 200)).subarray(0, 40);
    const res = await upload(th, half, 'me.jpg', 'image/jpeg');
    assert.equal(res.status, 400);
    assert.match(res.text, /could not be read/);
  });

  it('refuses a file over 2 MB with a clear message', async () => {
    const big = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff]), Buffer.alloc(2 * 1024 * 1024 + 10, 1)]);
    const res = await upload(th, big, 'big.jpg', 'image/jpeg');
    assert.equal(res.status, 400);
    assert.match(res.text, /Photos can be up to 2 MB/);
  });

  it('lets only the owner upload: no address names another user, clients and signed-out people are refused', async () => {
    const png = await sharp({ create: { width: 50, height: 50, channels: 3, background: '#000' } })
      .png()
      .toBuffer();
    const client = await signIn(t.haven, await createPerson(t.haven, { roles: ['client'] }));
    assert.equal((await upload(client, png, 'x.png', 'image/png')).status, 403);
    const o = await signIn(t.haven, other);
    assert.equal((await upload(o, png, 'x.png', 'image/png')).status, 303);
    // Olga's upload went to Olga's photo; Theo's is still the PNG from before.
    assert.ok(existsSync(path.join(t.dataDir, 'photos', `${other.user.id}.webp`)));
    const theo = await sharp(path.join(t.dataDir, 'photos', `${therapist.user.id}.webp`)).stats();
    assert.ok(theo.channels[2]!.mean > 200, "Theo's photo is still the blue PNG, not Olga's black one");
    const noCsrf = await o.agent.post('/practice-profile/photo').attach('photo', png, 'x.png');
    assert.equal(noCsrf.status, 403, 'a multipart post without the token is refused');
    await o.agent.get('/directory/profiles/not-a-user/photo').expect(404);
    const anonymous = await request(t.haven.http)
      .post('/practice-profile/photo')
      .attach('photo', png, 'x.png');
    assert.ok([302, 401, 403].includes(anonymous.status), `signed out: ${anonymous.status}`);
  });
});
