@testable import Notify
import Testing

@Suite("SMS encoding and parts, as the phone network counts them")
struct SMSTextTests {
    /// Encoding, units and parts, as one string that reads plainly in a failure.
    static func parts(_ text: String) -> String {
        let sms = SMSText(text)
        return "\(sms.encoding.rawValue) \(sms.units) \(sms.segments)"
    }

    @Test("plain text is GSM 7-bit: 160 septets in one part, 153 a part beyond")
    func gsm7() {
        #expect(Self.parts(String(repeating: "a", count: 160)) == "gsm7 160 1")
        #expect(Self.parts(String(repeating: "a", count: 161)) == "gsm7 161 2")
        #expect(SMSText(String(repeating: "a", count: 306)).segments == 2)
        #expect(SMSText(String(repeating: "a", count: 307)).segments == 3)
        #expect(Self.parts("Çok güzel, Öykü! @ £ é") == "gsm7 22 1", "Ç, ö, ü and é are in the basic set")
    }

    @Test("a character of the extension table takes two septets, ASCII or not")
    func extensionTable() {
        #expect(Self.parts(String(repeating: "{", count: 80)) == "gsm7 160 1")
        #expect(Self.parts(String(repeating: "[", count: 81)) == "gsm7 162 2")
        #expect(Self.parts("100 €") == "gsm7 6 1")
        #expect(Self.parts("a|b~c^d\\e]") == "gsm7 15 1")
    }

    @Test("ş, ğ, ı, İ take the Turkish single shift: 155 septets, 149 a part")
    func turkish() {
        #expect(Self.parts("Siparişiniz hazır") == "turkish 17 1")
        #expect(SMSText("ş" + String(repeating: "a", count: 154)).segments == 1)
        #expect(SMSText("ş" + String(repeating: "a", count: 155)).segments == 2)
        #expect(SMSText("ğ" + String(repeating: "a", count: 297)).segments == 2)
        #expect(SMSText("ğ" + String(repeating: "a", count: 298)).segments == 3)
    }

    @Test("anything outside those tables is UCS-2: 70 units, 67 a part")
    func ucs2() {
        #expect(Self.parts("Teşekkürler 🙏") == "ucs2 14 1", "the emoji is two UTF-16 units")
        #expect(Self.parts("`" + String(repeating: "a", count: 69)) == "ucs2 70 1", "a backtick is not GSM")
        #expect(SMSText("`" + String(repeating: "a", count: 70)).segments == 2)
        #expect(SMSText(String(repeating: "ж", count: 135)).segments == 3)
    }

    @Test("a rendered message loses the spaces an empty variable left, and its white space at both ends")
    func tidy() {
        #expect(MessageRenderer.tidy("  Ayşe  Hanım,   siparişiniz hazır. \n") == "Ayşe Hanım, siparişiniz hazır.")
        #expect(MessageRenderer.tidy("Satır bir\n\nSatır  iki") == "Satır bir\n\nSatır iki")
        #expect(MessageRenderer.tidy(" \n\t ") == "")
    }
}
