import Contracts
import Kernel
import Testing

@Suite("Turkish text, phones and e-mail")
struct TextRulesTests {
    @Test("folding ignores case and Turkish letters, with İ/i and I/ı right")
    func folding() {
        #expect(TurkishText.fold("AYŞE YILMAZ") == "ayse yilmaz")
        #expect(TurkishText.fold("Ayşe Yılmaz") == TurkishText.fold("ayse yilmaz"))
        #expect(TurkishText.fold("IŞIK") == "isik")
        #expect(TurkishText.fold("Işık") == "isik")
        #expect(TurkishText.fold("İSTANBUL") == "istanbul")
        #expect(TurkishText.fold("ÇAĞLAR ÖZGÜR") == "caglar ozgur")
        #expect(TurkishText.lowercased("ISPARTA İZMİR") == "ısparta izmir")
        #expect(TurkishText.uppercased("istanbul ılgaz") == "İSTANBUL ILGAZ")
    }

    @Test("Turkish numbers in every usual format become one E.164 number", arguments: [
        "0532 123 45 67", "+90 (532) 123-4567", "5321234567", "05321234567", "90 532 123 45 67", "0090 532 123 45 67", "+905321234567",
    ])
    func turkishPhones(input: String) throws {
        #expect(try PhoneNumber(parsing: input).e164 == "+905321234567")
    }

    @Test("landlines and foreign numbers are kept in E.164")
    func otherPhones() throws {
        #expect(try PhoneNumber(parsing: "0216 555 12 34").e164 == "+902165551234")
        #expect(try PhoneNumber(parsing: "+49 30 1234567").e164 == "+49301234567")
        #expect(try PhoneNumber(parsing: "0044 20 7946 0958").e164 == "+442079460958")
    }

    @Test("invalid phone numbers are refused with invalid_phone", arguments: [
        "123", "0532 123 45", "0632 123 45 67", "phone", "0532-123-45-67 ext 9", "+0 123 456 789", "053212345678",
    ])
    func invalidPhones(input: String) {
        #expect {
            try PhoneNumber(parsing: input)
        } throws: { ($0 as? DomainError)?.code == .invalidPhone }
    }

    @Test("e-mail addresses are checked and lowercased")
    func emails() throws {
        #expect(try EmailAddress(parsing: " Ayse.Yilmaz@Example.COM ").value == "ayse.yilmaz@example.com")
        for bad in ["ayse", "ayse@", "@example.com", "ayse@example", "ay se@example.com", "ayse@@example.com", "ayse@exa_mple.com", "a..b@example.com"] {
            #expect(throws: DomainError.self) { try EmailAddress(parsing: bad) }
        }
    }

    @Test("password policy: length, common passwords and words, runs, the e-mail's local part")
    func passwordPolicy() throws {
        let policy = PasswordPolicy()
        try policy.check("Kuru-Temizleme-2026!", email: "ayse@example.com")
        try policy.check("mavi balina uçar", email: nil)
        let weak: [(String, String?)] = [
            ("short1!", nil), ("1234567890", nil), ("qwertyuiop", nil), ("Galatasaray1905!", nil), ("Password123!", nil),
            ("sifre12345", nil), ("aaaaaaaaaaaa", nil), ("abababababab", nil), ("05321234567", nil),
            ("ayseyilmaz-2026", "ayseyilmaz@example.com"), ("Ab1234567890", nil),
        ]
        for (password, email) in weak {
            do {
                try policy.check(password, email: email)
                Issue.record("accepted the weak password \(password)")
            } catch let error as DomainError {
                #expect(error.code == .weakPassword)
            }
        }
    }
}
