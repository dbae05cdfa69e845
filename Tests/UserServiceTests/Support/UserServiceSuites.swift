import Testing

/// The suites that run the whole service on a database, one test at a time: each starts a service with its own
/// database, pools and keys, and run all at once they load the machine enough to upset other suites' timing-bound
/// tests (the gateway's).
@Suite(.serialized) enum UserServiceSuites {}
