/// The two kinds of review, with their stable names in APIs and storage.
public enum ReviewKind: String, CaseIterable, Codable, Sendable {
    case proposal
    case accessRequest = "access_request"
}
