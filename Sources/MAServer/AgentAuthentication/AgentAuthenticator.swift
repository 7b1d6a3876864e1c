import Foundation
import HTTPKit
import MissionCore

/// Verifies the RFC 9421 signature of an agent's request under the AAuth profile and says which agent sent it
/// (wire notes §1.5; Docs/Protocol.md "Agent authentication"). Thread-safe; one instance serves every request.
///
/// ```swift
/// switch await authenticator.authenticate(request) {
/// case .success(let agent): … agent.agentID …
/// case .failure(let failure): return failure.response()    // 401 + Signature-Error
/// }
/// ```
public final class AgentAuthenticator: Sendable {
    /// The algorithms accepted, exactly (sent as `Accept-Signature-Alg`).
    public static let acceptedAlgorithms = ["Ed25519", "ES256"]
    /// The `Signature-Key` schemes accepted, in preference order (sent as `Accept-Signature-Scheme`).
    public static let acceptedSchemes = ["jwt", "hwk"]
    /// The only agent-token type accepted (wire notes §2.8: check `typ` first).
    public static let agentTokenType = "aa-agent+jwt"

    /// What the authenticator accepts.
    public struct Settings: Sendable {
        /// Authorities (`host[:port]`, lowercased, default port omitted) a request's `Host` may name.
        public var acceptedAuthorities: Set<String>
        /// The scheme clients use to reach us (`https`, or `http` in development): `@scheme` and default ports.
        public var scheme: String
        /// Allowed distance in seconds between `created` and our clock, both ways (wire notes §1.3).
        public var window: Int64
        /// Signatures created before this Unix time are refused: the process start, so that a restart, which empties
        /// the in-memory replay cache, never reopens a window for signatures seen before it.
        public var notBefore: Int64
        /// Accept `hwk` keys nobody registered, identified by their thumbprint.
        public var allowsPseudonymousAgents: Bool
        /// Bound on remembered signatures (replay cache).
        public var replayCapacity: Int
        /// Bound on cached verified agent tokens and on cached inline keys.
        public var cacheCapacity: Int

        /// Creates settings; `notBefore` is normally the process start time.
        public init(
            acceptedAuthorities: Set<String>, scheme: String = "https", window: Int64 = 60, notBefore: Int64,
            allowsPseudonymousAgents: Bool = false, replayCapacity: Int = 200_000, cacheCapacity: Int = 10_000
        ) {
            self.acceptedAuthorities = Set(acceptedAuthorities.map { $0.lowercased() })
            self.scheme = scheme
            self.window = window
            self.notBefore = notBefore
            self.allowsPseudonymousAgents = allowsPseudonymousAgents
            self.replayCapacity = replayCapacity
            self.cacheCapacity = cacheCapacity
        }
    }

    /// The settings the authenticator was created with (`acceptedAuthorities` there is the initial set; see
    /// `acceptedAuthorities` for the one in force).
    public let settings: Settings
    /// The authorities in force: `settings.acceptedAuthorities` plus those added by `acceptAuthorities(_:)`.
    private let authorities: Locked<Set<String>>
    private let timeSource: any TimeSource
    private let isRegisteredKey: @Sendable (String) -> Bool
    private let policy: SignaturePolicy
    private let tokens: AgentTokenVerifier
    /// Parsed `hwk` keys with their RFC 7638 thumbprints, by the members received.
    private let inlineKeys: BoundedCache<InlinePublicKey, ResolvedInlineKey>
    private let replays: ReplayCache
    private let recordReplayMark: (@Sendable (ReplayMark) async -> Bool)?

    /// Creates an authenticator. `isRegisteredKey` answers whether an `hwk` key (by RFC 7638 thumbprint) belongs
    /// to a registered agent; the Application backs it with MissionCore's registry. `replayMarks` are the
    /// signatures a previous process accepted ahead of its clock (refused again from the start);
    /// `recordReplayMark` writes such a mark durably and answers whether it did. Without it (tests, tools) a
    /// signature dated ahead is remembered in memory only. Docs/Protocol.md, "Replay and restarts".
    public init(
        settings: Settings, providers: IssuerKeyRegistry, timeSource: any TimeSource,
        isRegisteredKey: @escaping @Sendable (String) -> Bool, replayMarks: [ReplayMark] = [],
        recordReplayMark: (@Sendable (ReplayMark) async -> Bool)? = nil
    ) {
        self.settings = settings
        authorities = Locked(settings.acceptedAuthorities)
        self.timeSource = timeSource
        self.isRegisteredKey = isRegisteredKey
        policy = SignaturePolicy(window: settings.window, acceptedSchemes: Self.acceptedSchemes)
        tokens = AgentTokenVerifier(
            providers: providers, timeSource: timeSource, window: settings.window, cacheCapacity: settings.cacheCapacity
        )
        inlineKeys = BoundedCache(capacity: settings.cacheCapacity)
        replays = ReplayCache(capacity: settings.replayCapacity, window: settings.window)
        self.recordReplayMark = recordReplayMark
        let now = Int64(timeSource.now().timeIntervalSince1970.rounded(.down))
        for mark in replayMarks {
            _ = replays.insertIfFresh(Digest256(mark.digest), created: mark.created, now: now)
        }
    }

    /// The authorities (`host[:port]`, lowercased) a signed request's `Host` may name right now.
    public var acceptedAuthorities: Set<String> { authorities.withLock { $0 } }

    /// Accepts `extra` authorities from now on (lowercased). The Application adds the development authorities here
    /// once the listener is bound, because with port 0 the port is unknown until then. Only ever adds: a request
    /// verified a moment earlier stays valid.
    public func acceptAuthorities(_ extra: Set<String>) {
        let lowercased = extra.map { $0.lowercased() }
        authorities.withLock { $0.formUnion(lowercased) }
    }

    /// Verifies `request`'s signature and identifies the agent; every failure carries its `Signature-Error` code.
    public func authenticate(_ request: HTTPRequest) async -> Result<AuthenticatedAgent, SignatureFailure> {
        let now = Int64(timeSource.now().timeIntervalSince1970.rounded(.down))
        guard let host = request.headers.first(name: "Host"), !host.isEmpty else {
            return .failure(SignatureFailure(.invalidRequest, "the request has no Host"))
        }
        // RFC 9421 §2.2.3: @authority is the Host the client addressed, host lowercased.
        let components = SignedRequestComponents(
            method: request.method.rawValue, scheme: settings.scheme, authority: host.lowercased(),
            path: request.path, query: request.query, headers: request.headers)

        // Steps 1–4 of wire notes §1.5: fields, coverage, created/expires, scheme; then the base.
        let prepared: VerifiableSignature
        do {
            prepared = try VerifiableSignature(
                request: components, hasBody: !request.body.isEmpty, now: now, policy: policy)
        } catch {
            return .failure(SignatureFailure(error))
        }
        guard let created = prepared.input.parameters.created else {
            return .failure(SignatureFailure(.invalidSignature, "the created parameter is required"))
        }
        if created < settings.notBefore {
            return .failure(
                SignatureFailure(.invalidSignature, "the signature predates this server's start; sign again"))
        }
        guard isAcceptedAuthority(components) else {
            return .failure(SignatureFailure(.invalidSignature, "the request's authority is not this server's"))
        }

        // Step 5: resolve the key (step 6, the algorithm, follows from the key's alg while parsing it).
        let key: JWK
        let thumbprint: String
        let identity: (agentID: String, scheme: AuthenticatedAgent.Scheme, token: AuthenticatedAgent.AgentToken?)
        switch prepared.key.scheme {
        case .jwt(let token):
            switch await tokens.verify(token) {
            case .success(let verified):
                key = verified.key
                thumbprint = verified.thumbprint
                identity = (verified.subject, .jwt, verified.claims)
            case .failure(let failure):
                return .failure(failure)
            }
        case .hwk(let inline):
            switch resolveInlineKey(inline) {
            case .success(let resolved):
                key = resolved.key
                thumbprint = resolved.thumbprint
            case .failure(let failure): return .failure(failure)
            }
            // Docs/Interop.md checklist 3: a keyid sent with hwk must be the key's thumbprint.
            if let keyID = prepared.input.parameters.keyID, keyID != thumbprint {
                return .failure(SignatureFailure(.invalidKey, "keyid is not the thumbprint of the hwk key"))
            }
            identity = (JWK.thumbprintURIPrefix + thumbprint, .hwk, nil)
        default:
            return .failure(
                SignatureFailure(
                    .unsupportedScheme, "Signature-Key scheme \(prepared.key.schemeName) is not accepted",
                    acceptedSchemes: Self.acceptedSchemes))
        }

        // RFC 9530: the digest must match the bytes received; coverage alone proves nothing about the body.
        if let failure = checkContentDigest(request: request, input: prepared.input) { return .failure(failure) }

        // Step 7: the signature itself.
        guard verifies(prepared, components: components, host: host, key: key.publicKey) else {
            return .failure(SignatureFailure(.invalidSignature, "the signature does not verify"))
        }

        if identity.scheme == .hwk, !settings.allowsPseudonymousAgents, !isRegisteredKey(thumbprint) {
            return .failure(SignatureFailure(.invalidKey, "unregistered key"))
        }

        // Last, so that only fully valid signatures take room: each is accepted once within the window.
        let replayKey = ReplayCache.key(thumbprint: thumbprint, created: created, signature: prepared.signature)
        guard replays.insertIfFresh(replayKey, created: created, now: now) else {
            return .failure(SignatureFailure(.invalidSignature, "this signature was already used"))
        }
        // The restart bound (`Settings.notBefore`) covers what was created no later than the last recorded
        // decision; a signature dated after this second is not covered, so it is put on disk before anything is
        // decided on it (Docs/Protocol.md, "Replay and restarts"). Ordinary signatures skip this branch.
        if created > now, let recordReplayMark {
            let mark = ReplayMark(digest: replayKey.bytes, created: created, expires: created + settings.window)
            guard await recordReplayMark(mark) else { return .failure(.unrecorded) }
        }
        return .success(
            AuthenticatedAgent(
                agentID: identity.agentID, scheme: identity.scheme, publicKey: key, thumbprint: thumbprint,
                agentToken: identity.token, signatureCreated: created))
    }

    /// The Host names one of our authorities (compared lowercased, with and without the default port).
    private func isAcceptedAuthority(_ components: SignedRequestComponents) -> Bool {
        authorities.withLock { $0.contains(components.normalizedAuthority) || $0.contains(components.authority) }
    }

    /// A parsed `hwk` key and its thumbprint (both derived from the members alone, so they are cached together).
    private struct ResolvedInlineKey: Sendable {
        let key: JWK
        let thumbprint: String
    }

    /// The JWK of an `hwk` member, cached by its members (parsing builds an OpenSSL key).
    private func resolveInlineKey(_ inline: InlinePublicKey) -> Result<ResolvedInlineKey, SignatureFailure> {
        if let cached = inlineKeys.value(for: inline) { return .success(cached) }
        var members: [String: MissionCore.JSONValue] = ["kty": .string(inline.kty)]
        for (name, value) in [
            ("crv", inline.crv), ("x", inline.x), ("y", inline.y), ("n", inline.n),
            ("e", inline.e), ("alg", inline.alg),
        ] {
            if let value { members[name] = .string(value) }
        }
        do {
            let key = try JWK(json: .object(members), options: IssuerKeyRegistry.keyParsingOptions)
            let resolved = ResolvedInlineKey(key: key, thumbprint: key.thumbprint())
            inlineKeys.insert(resolved, for: inline)
            return .success(resolved)
        } catch {
            return .failure(Self.keyFailure(error, what: "the hwk key"))
        }
    }

    /// Maps a JWK parsing error to its code (wire notes §1.5 step 6): unsupported or missing `alg` and unsupported
    /// key types are `unsupported_algorithm` with `Accept-Signature-Alg`; everything else is `invalid_key`.
    static func keyFailure(_ error: JOSEError, what: String) -> SignatureFailure {
        switch error {
        case .unsupportedAlgorithm(let name):
            SignatureFailure(
                .unsupportedAlgorithm, "\(what) has unsupported alg \(name)", acceptedAlgorithms: acceptedAlgorithms)
        case .unsupportedKeyType(let type):
            SignatureFailure(
                .unsupportedAlgorithm, "\(what) has unsupported key type \(type)",
                acceptedAlgorithms: acceptedAlgorithms)
        case .missingAlgorithm:
            SignatureFailure(.unsupportedAlgorithm, "\(what) has no alg", acceptedAlgorithms: acceptedAlgorithms)
        case .invalidKey(let reason): SignatureFailure(.invalidKey, "\(what) is invalid: \(reason)")
        default: SignatureFailure(.invalidKey, "\(what) cannot be parsed")
        }
    }

    /// Recomputes `Content-Digest` when the request has a body or covers the field. A body without the field never
    /// gets here (coverage requires it, and a covered absent field fails the base with `invalid_input`).
    private func checkContentDigest(request: HTTPRequest, input: SignatureInput) -> SignatureFailure? {
        guard !request.body.isEmpty || input.covers(.contentDigest) else { return nil }
        // RFC 9110 §5.3: the lines joined with ", "; one line, the usual case, is that line itself.
        guard let value = request.headers.combinedValue(for: "Content-Digest") else {
            return SignatureFailure(
                .invalidInput, "a request with a body needs Content-Digest", requiredInput: ["content-digest"])
        }
        let expected: (algorithm: ContentDigest.Algorithm, digest: [UInt8])
        do {
            expected = try ContentDigest(parsing: value).expectedDigest()
        } catch {
            return SignatureFailure(error)
        }
        let actual = expected.algorithm == .sha256 ? SHA256.hash(request.body) : SHA512.hash(request.body)
        guard ConstantTime.equals(actual, expected.digest) else {
            return SignatureFailure(.invalidSignature, "Content-Digest does not match the body")
        }
        return nil
    }

    /// Verifies over the base built from the received `@signature-params`, then the canonical one when it differs
    /// (ambiguity A9), then, when the client's Host carried the scheme's default port, over `@authority` with that
    /// port kept (Docs/Interop.md §2.4 quirk 3: aauth-signing signs the URL's authority verbatim).
    private func verifies(
        _ prepared: VerifiableSignature, components: SignedRequestComponents, host: String, key: JOSEPublicKey
    ) -> Bool {
        if Self.isValid(prepared.signature, over: prepared.base.bytes, key: key) { return true }
        if let canonical = prepared.canonicalBase, Self.isValid(prepared.signature, over: canonical.bytes, key: key) {
            return true
        }
        let covered = Set(prepared.input.components.map(\.name))
        guard components.normalizedAuthority != components.authority, covered.contains("@authority"),
            !covered.contains("@scheme"), !covered.contains("@target-uri")
        else { return false }
        // Only @authority changes: an unknown scheme keeps the port in normalizedAuthority.
        var verbatim = components
        verbatim.scheme = "verbatim"
        guard let base = try? SignatureBase(input: prepared.input, request: verbatim, paramsSource: .received) else {
            return false
        }
        return Self.isValid(prepared.signature, over: base.bytes, key: key)
    }

    /// RFC 9421 §3.3.6 (Ed25519: exactly 64 bytes) and §3.3.4 (ES256: r‖s; DER also accepted, Docs/Interop.md §2.4
    /// quirk 2). The `Signature` byte sequence may be standard base64 or unpadded base64url (HTTPKit decodes both).
    static func isValid(_ signature: [UInt8], over base: [UInt8], key: JOSEPublicKey) -> Bool {
        switch key {
        case .ed25519(let key):
            return signature.count == Ed25519.signatureByteCount && key.isValidSignature(signature, for: base)
        case .p256(let key):
            return key.isValidSignature(signature, for: base)
        }
    }
}
