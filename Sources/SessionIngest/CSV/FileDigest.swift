import Crypto

/// SHA-256 of a file, computed while it is read (swift-crypto, hardware-accelerated where the
/// processor allows), for the report's list of inputs.
struct FileDigest {
    private var hash = Crypto.SHA256()

    mutating func update(_ bytes: UnsafeRawBufferPointer) { hash.update(bufferPointer: bytes) }

    /// The digest as 64 lowercase hex digits.
    func hex() -> String {
        let digits: [Character] = Array("0123456789abcdef")
        var out = ""
        for byte in hash.finalize() {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0xF)])
        }
        return out
    }
}
