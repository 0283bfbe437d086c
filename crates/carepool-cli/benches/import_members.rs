//! Benchmark: import members from CSV, through the same path as `carepool import`.
//!
//!     cargo bench -p carepool-cli --bench import_members -- [--backend sqlite|postgres] [--members N]
//!
//! Writes a deterministic registry (about 5.9 members per family) to a temp dir, loads the example
//! programme and the families, then times the members import and prints the rate and the peak
//! memory of the process. PostgreSQL uses DATABASE_URL, or a throwaway cluster.

mod support;

use carepool_schema::kinds::Kind;
use carepool_schema::with_record_type;
use carepool_service::{ImportMode, Registry};
use std::io::Write;
use std::path::Path;
use std::time::Instant;

/// A small deterministic generator (xorshift64*), enough to vary the rows.
struct Dice(u64);

impl Dice {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

fn write_registry(dir: &Path, members: u64) -> std::io::Result<u64> {
    let mut locations = std::io::BufWriter::new(std::fs::File::create(dir.join("locations.csv"))?);
    writeln!(locations, "code,name,kind,parent_code,area")?;
    writeln!(locations, "P,Province,province,,")?;
    for village in 0..200 {
        let area = if village % 3 == 0 { "urban" } else { "rural" };
        writeln!(
            locations,
            "V{village:03},Village {village},village,P,{area}"
        )?;
    }
    locations.flush()?;

    let mut dice = Dice(0x9E37_79B9_7F4A_7C15);
    let mut families = std::io::BufWriter::new(std::fs::File::create(dir.join("families.csv"))?);
    let mut people = std::io::BufWriter::new(std::fs::File::create(dir.join("members.csv"))?);
    writeln!(
        families,
        "id,scheme,location_code,poverty_score,household_id"
    )?;
    writeln!(
        people,
        "id,family_id,name,relationship,sex,birth_date,national_id,categories,monthly_wage,status,status_since"
    )?;
    let (mut written, mut family) = (0, 0);
    while written < members {
        family += 1;
        let score = dice.below(3_500) as f64 / 100.0;
        writeln!(
            families,
            "F{family:07},pip,V{:03},{score},",
            dice.below(200)
        )?;
        let size = (1 + dice.below(10)).min(members - written);
        for person in 0..size {
            written += 1;
            let (relationship, birth_year) = match person {
                0 => ("head", 1950 + dice.below(50)),
                1 => ("spouse", 1955 + dice.below(50)),
                _ => ("child", 2000 + dice.below(25)),
            };
            let sex = if (person == 0) == (dice.below(4) == 0) {
                "F"
            } else {
                "M"
            };
            let national_id = if relationship == "child" {
                String::new()
            } else {
                format!("N{written:09}")
            };
            let status = if dice.below(100) < 29 {
                "pending"
            } else {
                "active"
            };
            writeln!(
                people,
                "M{written:08},F{family:07},Member {written},{relationship},{sex},{birth_year}-{:02}-{:02},{national_id},,,{status},2025-04-01",
                1 + dice.below(12),
                1 + dice.below(28)
            )?;
        }
    }
    families.flush()?;
    people.flush()?;
    Ok(family)
}

async fn import(registry: &Registry, kind: &str, file: &Path) -> f64 {
    let started = Instant::now();
    let kind = Kind::named(kind).unwrap();
    let summary = with_record_type!(kind, R => {
        carepool_io::import_file::<R>(registry, file, ImportMode::AllOrNothing, &|_, _| {}).await
    })
    .unwrap_or_else(|e| panic!("{kind:?}: {e}"));
    assert_eq!(summary.rejected, 0);
    started.elapsed().as_secs_f64()
}

#[tokio::main]
async fn main() {
    let flags = support::Flags::from_env();
    let backend = flags.text("--backend").unwrap_or_else(|| "sqlite".into());
    let members: u64 = flags.number("--members", 1_000_000);

    let dir = tempfile::tempdir().unwrap();
    let families = write_registry(dir.path(), members).unwrap();
    let (store, _postgres) = support::open_store(&backend, dir.path()).await;
    let registry = Registry::new(store.clone());
    let scheme = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/pip-inpatient.toml");
    registry
        .load_scheme(carepool_io::read_scheme_file(&scheme).unwrap())
        .await
        .unwrap();
    import(&registry, "locations", &dir.path().join("locations.csv")).await;
    let family_seconds = import(&registry, "families", &dir.path().join("families.csv")).await;
    let member_seconds = import(&registry, "members", &dir.path().join("members.csv")).await;
    store.close().await;
    println!(
        "{backend}: {families} families in {family_seconds:.2} s ({:.0}/s); {members} members in {member_seconds:.2} s ({:.0}/s); peak memory {:.0} MB",
        families as f64 / family_seconds,
        members as f64 / member_seconds,
        support::peak_memory_mb()
    );
}
