import Testing

/// The suites that run the whole service on a database, one test at a time, so that together they load the machine
/// lightly (the gateway's suites have timing-bound tests).
@Suite(.serialized) enum InventoryServiceSuites {}
