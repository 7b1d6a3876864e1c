import MissionCore

/// MissionCore's JSON tree, the one every request body and response body goes through here
/// (MAServer's own `JSONValue` is the configuration file's).
typealias WireJSON = MissionCore.JSONValue
