/// `Retry-After` (RFC 9110 §10.2.3) in its delay-seconds form, as AAuth's pending responses use it.
public enum RetryAfter {
    /// The field value for a delay; negative delays become `0` ("poll now").
    public static func fieldValue(seconds: Int) -> String {
        String(max(0, seconds))
    }
}
