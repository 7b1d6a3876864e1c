import HTTPKit
import Logging
import MissionCore

/// The one place where refusals become HTTP: `AuthorityError` (MissionCore), `RouteError` (this
/// layer), `SignatureFailure` and `ResourceTokenError` (agent authentication). Bodies are
/// `application/problem+json` with an `error` member (wire notes §4.1).
enum ErrorMapping {
    /// What a route was looking up, so that `notFound` names it (404 bodies never say more).
    enum Subject: Sendable {
        /// Agent-facing mission routes: `mission_not_found`, identical for unknown and foreign
        /// missions (wire notes §4.3), and terminal-state transitions read as `mission_terminated`.
        case agentMission
        /// A pending URL (`/pending/{id}`).
        case pending
        /// Admin routes on missions.
        case mission
        /// Admin routes on reviews.
        case review
        /// Admin routes on agent or admin keys.
        case key
    }

    /// `Retry-After` advertised when the audit trail cannot be written (fail closed).
    static let unavailableRetryAfter = 5

    /// The response for any error a handler threw; unexpected errors are logged and answered 500
    /// without details.
    static func response(for error: any Error, subject: Subject, logger: Logger) -> HTTPResponse {
        switch error {
        case let error as AuthorityError: return response(for: error, subject: subject, logger: logger)
        case let error as RouteError: return response(for: error)
        case let error as SignatureFailure: return error.response()
        case let error as ResourceTokenError: return error.response()
        case let error as MissionError: return response(for: requestError(error))
        case let error as RouteParameterError: return error.makeResponse()
        default:
            logger.error("unexpected error in a route", metadata: ["error": "\(error)"])
            return problem(.internalServerError, "server_error")
        }
    }

    /// MissionCore's refusals (the mapping its `AuthorityError` documents).
    static func response(for error: AuthorityError, subject: Subject, logger: Logger) -> HTTPResponse {
        switch error {
        case .notFound:
            return notFound(subject)
        case .suspended:
            return suspended()
        case .terminated(let reason):
            return terminated(reason: reason)
        case .invalidTransition(let current):
            // An agent acting on its own mission that is no longer live gets the mission-status
            // errors of wire notes §4.4, not a bare conflict.
            if subject == .agentMission {
                if current == MissionState.suspended.rawValue { return suspended() }
                if let state = MissionState(rawValue: current), state.isTerminal {
                    return terminated(reason: current)
                }
            }
            return problem(
                .conflict, "invalid_transition", detail: "not allowed while the state is \(current)",
                extra: ["current_state": .string(current)])
        case .denied(let reason, let outside):
            return problem(
                .forbidden, "denied", detail: reason, extra: ["outside_scopes": .array(outside.map { .string($0) })])
        case .forbidden:
            return problem(.forbidden, "forbidden", detail: "not permitted")
        case .invalidRequest(let detail):
            return problem(.badRequest, "invalid_request", detail: detail)
        case .conflict(let detail):
            return problem(.conflict, "conflict", detail: detail)
        case .gone:
            return problem(.gone, "gone", detail: "this pending request has ended")
        case .slowDown(let retryAfter):
            return slowDown(retryAfter: retryAfter)
        case .expired:
            return problem(.requestTimeout, "expired", detail: "nobody decided in time")
        case .auditUnavailable:
            logger.error("decision refused: the audit trail could not be written (fail closed)")
            var response = problem(
                .serviceUnavailable, "temporarily_unavailable",
                detail: "the decision could not be recorded; retry later")
            response.headers.add(name: "Retry-After", value: RetryAfter.fieldValue(seconds: unavailableRetryAfter))
            return response
        case .corruptRecord(let detail):
            logger.critical("stored record failed an integrity check", metadata: ["detail": "\(detail)"])
            return problem(.internalServerError, "server_error")
        }
    }

    /// This layer's own refusals.
    static func response(for error: RouteError) -> HTTPResponse {
        switch error {
        case .invalidRequest(let detail):
            return problem(.badRequest, "invalid_request", detail: detail)
        case .signature(let failure):
            return failure.response()
        case .resourceToken(let error):
            return error.response()
        case .invalidAdminToken:
            var response = problem(.unauthorized, "invalid_token", detail: "a valid admin API key is required")
            // RFC 6750 §3: the challenge accompanies every 401 for a bearer-protected resource.
            response.headers.add(
                name: "WWW-Authenticate", value: #"Bearer realm="mission-authority", error="invalid_token""#)
            return response
        case .tooManyFailures(let retryAfter):
            var response = problem(.tooManyRequests, "too_many_requests", detail: "too many failed authentications")
            response.headers.add(name: "Retry-After", value: RetryAfter.fieldValue(seconds: retryAfter))
            return response
        case .forbidden:
            return problem(.forbidden, "forbidden", detail: "this key's role does not allow it")
        case .unhealthy:
            return problem(.serviceUnavailable, "unavailable", detail: "the database does not answer")
        }
    }

    /// A domain validation failure in what the client sent (400 `invalid_request`).
    static func requestError(_ error: MissionError) -> RouteError {
        switch error {
        case .invalidProposal(let detail), .invalidOrigin(let detail), .invalidScope(let detail),
            .invalidEnvelope(let detail), .invalidAccessRequest(let detail), .clarificationNotAllowed(let detail),
            .decisionMismatch(let detail), .invalidConfiguration(let detail):
            .invalidRequest(detail)
        case .invalidTransition(let from, let event): .invalidRequest("\(event) is not allowed from \(from.rawValue)")
        case .missionNotLive(let state): .invalidRequest("the mission is \(state.rawValue)")
        case .invalidReviewTransition(let from, let event):
            .invalidRequest("\(event) is not allowed from \(from.rawValue)")
        }
    }

    /// Polling too fast (wire notes §3.6): 429 `slow_down` with the interval to keep.
    static func slowDown(retryAfter: Int) -> HTTPResponse {
        var response = problem(.tooManyRequests, "slow_down", detail: "poll less often")
        response.headers.add(name: "Retry-After", value: RetryAfter.fieldValue(seconds: retryAfter))
        return response
    }

    /// A reviewer said no (wire notes §3.6).
    static func denied(reason: String?) -> HTTPResponse {
        problem(.forbidden, "denied", detail: reason ?? "the request was denied")
    }

    /// The request expired unanswered (wire notes §3.6).
    static func expired() -> HTTPResponse {
        problem(.requestTimeout, "expired", detail: "nobody decided in time")
    }

    /// A pending URL whose answer was delivered or that was cancelled (wire notes §3.2).
    static func gone() -> HTTPResponse {
        problem(.gone, "gone", detail: "this pending request has ended")
    }

    private static func notFound(_ subject: Subject) -> HTTPResponse {
        switch subject {
        case .agentMission, .mission: problem(.notFound, "mission_not_found", detail: "no such mission")
        case .pending: problem(.notFound, "not_found", detail: "no such pending request")
        case .review: problem(.notFound, "not_found", detail: "no such review")
        case .key: problem(.notFound, "not_found", detail: "no such key")
        }
    }

    private static func suspended() -> HTTPResponse {
        problem(
            .forbidden, "mission_suspended", detail: "the mission is suspended",
            extra: ["mission_status": .string("suspended")])
    }

    /// Wire notes §4.4: `mission_status` has the single value `terminated`.
    private static func terminated(reason: String) -> HTTPResponse {
        problem(
            .forbidden, "mission_terminated", detail: "the mission has ended",
            extra: ["mission_status": .string("terminated"), "termination_reason": .string(reason)])
    }

    private static func problem(
        _ status: HTTPStatus, _ error: String, detail: String? = nil, extra: [String: ProblemValue] = [:]
    ) -> HTTPResponse {
        var response = HTTPResponse.problem(status: status, error: error, detail: detail, extra: extra)
        response.headers.add(name: "Cache-Control", value: "no-store")
        return response
    }
}
