//! The places and the health facilities: provinces, districts and villages, each district with
//! public health centres, a public district hospital and private hospitals, each province with
//! a provincial hospital.

use crate::config::Population;
use crate::config::ProviderNetwork;
use carepool_core::registry::{Area, FacilityLevel, Location, Ownership, Provider};
use chrono::NaiveDate;
use std::collections::HashMap;

pub struct Network {
    pub locations: Vec<Location>,
    pub providers: Vec<Provider>,
    /// Villages as (code, district index, province index, area), in location order.
    pub villages: Vec<Village>,
    /// Providers by (district index, level); provincial hospitals are listed under every
    /// district of their province.
    by_district: HashMap<(usize, FacilityLevel), Vec<usize>>,
    pub districts: usize,
}

pub struct Village {
    pub code: String,
    pub district: usize,
    pub area: Area,
}

impl Network {
    pub fn new(population: &Population, network: &ProviderNetwork, from: NaiveDate) -> Network {
        let mut locations = Vec::new();
        let mut providers = Vec::new();
        let mut villages = Vec::new();
        let mut by_district: HashMap<(usize, FacilityLevel), Vec<usize>> = HashMap::new();
        let location = |code: String, name: String, kind: &str, parent, area| Location {
            code,
            name,
            kind: kind.into(),
            parent_code: parent,
            area,
        };
        let provider = |code: &str, ownership, level, location_code: &str| Provider {
            code: code.into(),
            name: format!("{} {code}", level_name(level)),
            ownership,
            level,
            location_code: location_code.into(),
            empanelled_from: from,
            empanelled_to: None,
        };
        let mut district = 0;
        for p in 1..=population.provinces {
            let province = format!("P{p:02}");
            locations.push(location(
                province.clone(),
                format!("Province {p}"),
                "province",
                None,
                None,
            ));
            let provincial = providers.len();
            providers.push(provider(
                &format!("{province}-PH"),
                Ownership::Public,
                FacilityLevel::ProvincialHospital,
                &province,
            ));
            for d in 1..=population.districts_per_province {
                let code = format!("{province}D{d:02}");
                locations.push(location(
                    code.clone(),
                    format!("District {p}.{d}"),
                    "district",
                    Some(province.clone()),
                    None,
                ));
                let urban_villages = (f64::from(population.villages_per_district)
                    * population.urban_share)
                    .round() as u32;
                for v in 1..=population.villages_per_district {
                    let area = if v <= urban_villages {
                        Area::Urban
                    } else {
                        Area::Rural
                    };
                    let village = format!("{code}V{v:03}");
                    locations.push(location(
                        village.clone(),
                        format!("Village {p}.{d}.{v}"),
                        "village",
                        Some(code.clone()),
                        Some(area),
                    ));
                    villages.push(Village {
                        code: village,
                        district,
                        area,
                    });
                }
                let seat = format!("{code}V001");
                let mut add = |suffix: String, ownership, level| {
                    by_district
                        .entry((district, level))
                        .or_default()
                        .push(providers.len());
                    providers.push(provider(
                        &format!("{code}-{suffix}"),
                        ownership,
                        level,
                        &seat,
                    ));
                };
                for h in 1..=network.public_health_centres_per_district {
                    add(
                        format!("HC{h}"),
                        Ownership::Public,
                        FacilityLevel::HealthCentre,
                    );
                }
                add(
                    "DH".into(),
                    Ownership::Public,
                    FacilityLevel::DistrictHospital,
                );
                for h in 1..=network.private_hospitals_per_district {
                    add(
                        format!("PR{h}"),
                        Ownership::Private,
                        FacilityLevel::DistrictHospital,
                    );
                }
                by_district
                    .entry((district, FacilityLevel::ProvincialHospital))
                    .or_default()
                    .push(provincial);
                district += 1;
            }
        }
        Network {
            locations,
            providers,
            villages,
            by_district,
            districts: district,
        }
    }

    /// The facilities of these levels serving a district.
    pub fn serving(&self, district: usize, levels: &[FacilityLevel]) -> Vec<usize> {
        levels
            .iter()
            .flat_map(|level| {
                self.by_district
                    .get(&(district, *level))
                    .map_or(&[][..], Vec::as_slice)
            })
            .copied()
            .collect()
    }
}

fn level_name(level: FacilityLevel) -> &'static str {
    match level {
        FacilityLevel::HealthCentre => "Health centre",
        FacilityLevel::DistrictHospital => "District hospital",
        FacilityLevel::ProvincialHospital => "Provincial hospital",
        FacilityLevel::CentralHospital => "Central hospital",
    }
}
