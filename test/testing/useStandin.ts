// Setup of the `e2e-standin` jest project: every test app runs on its own EventStoreDB protocol stand-in.
process.env.TEST_EVENT_STORE = 'standin';
