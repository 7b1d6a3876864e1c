/// Why a request was rejected; each case carries the status the client receives before the close.
public enum HTTPParseError: Error, Equatable, Sendable {
    /// The request line exceeds `maxRequestLineBytes` (414).
    case requestLineTooLong
    /// The header field lines exceed `maxHeaderBytes` (431).
    case headerSectionTooLarge
    /// More than `maxHeaderCount` field lines (431).
    case tooManyHeaderFields
    /// The content exceeds `maxBodyBytes`, declared or while de-chunking (413).
    case contentTooLarge
    /// The request line is not `method SP target SP version` with single spaces (400).
    case invalidRequestLine
    /// The method is not a token (400).
    case invalidMethod
    /// The target has a character outside RFC 3986, a fragment, or an unsupported form (400).
    case invalidTarget
    /// The target has a `%` not followed by two hex digits (400).
    case invalidPercentEncoding
    /// The version is not `HTTP/d.d` (400).
    case invalidVersion
    /// A well-formed version other than 1.0 and 1.1 (505).
    case unsupportedVersion
    /// A line ends in LF without CR (400; RFC 9112 §2.2 allows lenience, we refuse it).
    case bareLineFeed
    /// A CR not followed by LF (400, RFC 9112 §2.2).
    case bareCarriageReturn
    /// A field line starts with whitespace: obsolete line folding (400, RFC 9112 §5.2).
    case obsoleteLineFolding
    /// Whitespace between a field name and the colon (400, RFC 9112 §5.1).
    case whitespaceBeforeColon
    /// A field name that is empty or not a token, or a line without a colon (400).
    case invalidFieldName
    /// A field value with a control character (400, RFC 9110 §5.5).
    case invalidFieldValue
    /// An HTTP/1.1 request without Host (400, RFC 9112 §3.2).
    case missingHost
    /// More than one Host field line (400, RFC 9112 §3.2).
    case multipleHost
    /// A Host value that is not a valid `uri-host [":" port]` (400).
    case invalidHost
    /// An absolute-form target whose authority differs from Host (400).
    case hostMismatch
    /// Content-Length not 1*DIGIT, or present on more than one line or as a list (400).
    case invalidContentLength
    /// Both Content-Length and Transfer-Encoding (400, RFC 9112 §6.3: request smuggling).
    case contentLengthWithTransferEncoding
    /// Transfer-Encoding in an HTTP/1.0 request (400, RFC 9112 §6.1).
    case transferEncodingInHTTP10
    /// Transfer-Encoding whose final coding is not chunked, or malformed (400, RFC 9112 §6.3).
    case invalidTransferEncoding
    /// Transfer-Encoding with a coding other than chunked before it (501, RFC 9112 §6.1).
    case unsupportedTransferCoding
    /// A chunk-size that is empty or not hex (400, RFC 9112 §7.1).
    case invalidChunkSize
    /// A malformed chunk extension, or a chunk line longer than 4 KiB (400, RFC 9112 §7.1.1).
    case invalidChunkExtension
    /// Chunk data not followed by CRLF (400, RFC 9112 §7.1).
    case invalidChunkTerminator
    /// An Expect value other than 100-continue (417, RFC 9110 §10.1.1).
    case unsupportedExpectation
    /// CONNECT, which this server does not implement (501).
    case unsupportedMethod

    /// The status answered for this error.
    public var status: HTTPStatus {
        switch self {
        case .requestLineTooLong: .uriTooLong
        case .headerSectionTooLarge, .tooManyHeaderFields: .requestHeaderFieldsTooLarge
        case .contentTooLarge: .contentTooLarge
        case .unsupportedVersion: .httpVersionNotSupported
        case .unsupportedTransferCoding, .unsupportedMethod: .notImplemented
        case .unsupportedExpectation: .expectationFailed
        default: .badRequest
        }
    }

    /// A stable snake_case code for the problem document's `error` member.
    public var code: String {
        switch self {
        case .requestLineTooLong: "request_line_too_long"
        case .headerSectionTooLarge: "header_section_too_large"
        case .tooManyHeaderFields: "too_many_header_fields"
        case .contentTooLarge: "content_too_large"
        case .invalidRequestLine: "invalid_request_line"
        case .invalidMethod: "invalid_method"
        case .invalidTarget: "invalid_target"
        case .invalidPercentEncoding: "invalid_percent_encoding"
        case .invalidVersion: "invalid_version"
        case .unsupportedVersion: "unsupported_version"
        case .bareLineFeed: "bare_line_feed"
        case .bareCarriageReturn: "bare_carriage_return"
        case .obsoleteLineFolding: "obsolete_line_folding"
        case .whitespaceBeforeColon: "whitespace_before_colon"
        case .invalidFieldName: "invalid_field_name"
        case .invalidFieldValue: "invalid_field_value"
        case .missingHost: "missing_host"
        case .multipleHost: "multiple_host"
        case .invalidHost: "invalid_host"
        case .hostMismatch: "host_mismatch"
        case .invalidContentLength: "invalid_content_length"
        case .contentLengthWithTransferEncoding: "content_length_with_transfer_encoding"
        case .transferEncodingInHTTP10: "transfer_encoding_in_http10"
        case .invalidTransferEncoding: "invalid_transfer_encoding"
        case .unsupportedTransferCoding: "unsupported_transfer_coding"
        case .invalidChunkSize: "invalid_chunk_size"
        case .invalidChunkExtension: "invalid_chunk_extension"
        case .invalidChunkTerminator: "invalid_chunk_terminator"
        case .unsupportedExpectation: "unsupported_expectation"
        case .unsupportedMethod: "unsupported_method"
        }
    }
}
