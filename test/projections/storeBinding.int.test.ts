import { ALL_PROJECTIONS, bindReadModelToStore, readCheckpoint } from '../../projections';
import { eventStoreIdentity } from '../../src/openEventStore';
import { type ProjectionWorld, openProjectionWorld, runProjections } from '../testing/projectionSpecification';
import { richHistory } from './histories';

describe('binding a read model to its event store', () => {
  let world: ProjectionWorld;
  beforeEach(async () => {
    world = openProjectionWorld();
    await world.append(richHistory());
  });
  afterEach(() => world.dispose());

  it('keeps the checkpoints of a read model built before stores were recorded, when it stays on the embedded store', async () => {
    const db = world.readModel();
    await runProjections(world.store, db);
    db.exec('DROP TABLE IF EXISTS read_model_store');
    expect(bindReadModelToStore(db, 'sqlite', ALL_PROJECTIONS)).toBeNull();
    expect(readCheckpoint(db, 'clientList')).toMatchObject({ version: ALL_PROJECTIONS[0].version, position: world.places.at(-1)!.position });
    expect(bindReadModelToStore(db, 'sqlite', ALL_PROJECTIONS)).toBeNull();
  });

  it('marks every projection never run when the store differs, and says which store it was built from', async () => {
    const db = world.readModel();
    await runProjections(world.store, db);
    expect(bindReadModelToStore(db, 'sqlite', ALL_PROJECTIONS)).toBeNull();
    expect(bindReadModelToStore(db, 'eventstoredb:db:2113', ALL_PROJECTIONS)).toBe('sqlite');
    for (const projection of ALL_PROJECTIONS) expect(readCheckpoint(db, projection.name)).toEqual({ version: 0, position: null });
    expect(bindReadModelToStore(db, 'eventstoredb:db:2113', ALL_PROJECTIONS)).toBeNull();
  });

  it('names EventStoreDB by its hosts, without credentials or settings', () => {
    const identity = (connectionString: string) => eventStoreIdentity({ kind: 'eventstoredb', connectionString, deadlineMs: 5000 });
    expect(identity('esdb://admin:secret@DB.example.com:2113?tls=false')).toBe('eventstoredb:db.example.com:2113');
    expect(identity('esdb://db.example.com:2113')).toBe(identity('esdb://db.example.com:2113?tls=true&defaultDeadline=100'));
    expect(identity('esdb+discover://cluster.example.com:2113')).toBe('eventstoredb:discover:cluster.example.com:2113');
    expect(identity('esdb://a:2113,b:2113')).not.toBe(identity('esdb://a:2113'));
    expect(eventStoreIdentity({ kind: 'sqlite' })).toBe('sqlite');
  });
});
