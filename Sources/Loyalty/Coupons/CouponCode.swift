/// Coupon codes short enough to read out over the phone: seven characters from a 32-character
/// alphabet without the look-alikes (no I, O, 0 or 1) and a check character, shown as
/// `ABCD-EFGH`. The check is Damm's, over the quasigroup x ∘ y = 2x + y of GF(32): it catches any
/// one mistyped character and any two neighbours swapped (Luhn mod 32 misses one such pair).
public enum CouponCode {
    static let alphabet = Array("ABCDEFGHJKLMNPQRSTUVWXYZ23456789")
    static let positions: [Character: Int] = Dictionary(uniqueKeysWithValues: alphabet.enumerated().map { ($1, $0) })
    static let length = 8

    /// A new code from `random`.
    static func make<R: RandomNumberGenerator>(using random: inout R) -> String {
        let body = (0..<(length - 1)).map { _ in alphabet[Int.random(in: 0..<alphabet.count, using: &random)] }
        return String(body) + String(check(body))
    }

    /// A code as typed (any case, with or without the dash and spaces) in its stored form, or nil
    /// when it is not one (a wrong length, a character outside the alphabet, a check that fails).
    public static func normalized(_ typed: String) -> String? {
        guard typed.unicodeScalars.count <= 40 else { return nil }
        let characters = typed.uppercased().filter { $0 != "-" && $0 != " " }
        guard characters.count == length, characters.allSatisfy({ positions[$0] != nil }) else { return nil }
        return interim(Array(characters)) == 0 ? String(characters) : nil
    }

    /// `ABCD-EFGH`.
    public static func shown(_ code: String) -> String {
        code.count == length ? String(code.prefix(4)) + "-" + String(code.suffix(4)) : code
    }

    /// The check character of `body`: the one that brings Damm's interim value to 0.
    static func check(_ body: [Character]) -> Character {
        alphabet[double(interim(body))]
    }

    /// Damm's interim value after `characters`: each step is 2·interim + value in GF(32).
    static func interim(_ characters: [Character]) -> Int {
        characters.reduce(0) { double($0) ^ (positions[$1] ?? 0) }
    }

    /// 2·x in GF(32), modulo x⁵ + x² + 1.
    static func double(_ x: Int) -> Int {
        let shifted = x << 1
        return shifted & 0x20 != 0 ? shifted ^ 0x25 : shifted
    }
}
