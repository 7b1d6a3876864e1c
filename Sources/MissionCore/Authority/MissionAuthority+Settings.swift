import Foundation

extension MissionAuthority {
    /// The policy knobs of an MA; the defaults suit a small deployment.
    public struct Settings: Hashable, Sendable {
        /// The MA's issuer URL (`iss`, `ps` and `mission.auth` of every auth token).
        public var issuer: String
        /// Token lifetime when a mission's envelope does not say (seconds, 1…3600).
        public var defaultTokenLifetime: Int = AccessEnvelope.defaultTokenLifetime
        /// The ceiling on any token lifetime (seconds, at most 3600: DESIGN §3.5).
        public var maxTokenLifetime: Int = AccessEnvelope.maximumTokenLifetime
        /// How long a proposal waits for a reviewer (seconds).
        public var proposalReviewLifetime: Int = 86_400
        /// How long an access request waits for a reviewer (seconds).
        public var accessReviewLifetime: Int = 3_600
        /// The `Retry-After` advertised on pending URLs; polling sooner is `slow_down`.
        public var pollInterval: Int = 5
        /// Clarification questions per review (the domain caps it at 5).
        public var maxClarificationRounds: Int = Review.maximumQuestions
        /// Mission lifetime for an approval that does not say (seconds; `nil` = no fixed expiry).
        public var defaultMissionLifetime: Int? = 86_400
        /// Standing approvals, tried in order.
        public var autoApprovalRules: [AutoApprovalRule] = []
        /// Whether agents identified only by a key thumbprint (`urn:jkt:…`) that no admin
        /// registered may propose missions.
        public var allowPseudonymousAgents: Bool = false
        /// The algorithm of newly generated signing keys.
        public var signingAlgorithm: JWSAlgorithm = .ed25519

        public init(issuer: String) {
            self.issuer = issuer
        }

        /// Refuses out-of-range values.
        func validate() throws(AuthorityError) {
            guard issuer.hasPrefix("https://") || issuer.hasPrefix("http://") else {
                throw .invalidRequest("issuer must be an http(s) URL")
            }
            guard (1...AccessEnvelope.maximumTokenLifetime).contains(maxTokenLifetime),
                (1...maxTokenLifetime).contains(defaultTokenLifetime)
            else { throw .invalidRequest("token lifetimes must be 1…3600 seconds, default ≤ maximum") }
            guard proposalReviewLifetime >= 1, accessReviewLifetime >= 1, pollInterval >= 1 else {
                throw .invalidRequest("review lifetimes and poll interval must be positive")
            }
            guard (0...Review.maximumQuestions).contains(maxClarificationRounds) else {
                throw .invalidRequest("clarification rounds: 0…\(Review.maximumQuestions)")
            }
            if let defaultMissionLifetime, defaultMissionLifetime < 1 {
                throw .invalidRequest("default mission lifetime must be positive")
            }
        }
    }
}
