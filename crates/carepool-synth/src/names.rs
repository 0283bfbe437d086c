//! Names for synthetic people: plain, varied, and obviously not anyone's record.

use carepool_core::registry::Sex;
use rand::RngExt;
use rand_pcg::Pcg64Mcg;

const SURNAMES: &[&str] = &[
    "Banda",
    "Mensah",
    "Ouedraogo",
    "Traore",
    "Kumar",
    "Sharma",
    "Nguyen",
    "Tran",
    "Phiri",
    "Mwale",
    "Diallo",
    "Sanou",
    "Okafor",
    "Adeyemi",
    "Hossain",
    "Rahman",
    "Silva",
    "Santos",
    "Kamau",
    "Otieno",
    "Mutua",
    "Chanda",
    "Zulu",
    "Dube",
    "Perera",
    "Fernando",
    "Yadav",
    "Singh",
    "Ahmed",
    "Hassan",
];

const WOMEN: &[&str] = &[
    "Awa", "Mariam", "Grace", "Esther", "Fatima", "Aisha", "Priya", "Lakshmi", "Thi Lan", "Mai",
    "Chipo", "Nomsa", "Ama", "Akosua", "Joyce", "Ruth", "Rekha", "Sunita", "Halima", "Zainab",
];

const MEN: &[&str] = &[
    "Issa", "Ali", "Kwame", "Kofi", "John", "Peter", "Ravi", "Arjun", "Minh", "Tuan", "Tendai",
    "Sipho", "Moussa", "Ibrahim", "Joseph", "David", "Suresh", "Anil", "Hamza", "Yusuf",
];

pub fn surname(rng: &mut Pcg64Mcg) -> &'static str {
    SURNAMES[rng.random_range(0..SURNAMES.len())]
}

pub fn given(sex: Sex, rng: &mut Pcg64Mcg) -> &'static str {
    let names = match sex {
        Sex::Female => WOMEN,
        Sex::Male => MEN,
    };
    names[rng.random_range(0..names.len())]
}
