// The provincial trajectory of each rate-like indicator, 2020 → 2025, and how far the cities spread around it.
// Values are assumptions in realistic ranges (see samples/README.md), aimed at the plan's 2025 targets: some
// indicators and cities reach them, some do not. Negative spreads: developed cities are lower.
import type { PathSpec } from "./paths.ts";

export const STATS_PATHS: readonly PathSpec[] = [
  { code: "labor_share_of_gdp", from: 47.6, to: 49.6, spread: 2.5, noise: 0.4, decimals: 1 },
  { code: "households_100k_500k_share", from: 72.0, to: 79.2, spread: 6, noise: 0.6, decimals: 1, max: 95 },
  {
    code: "households_200k_600k_share",
    from: 28.9,
    to: 39.2,
    spread: 7,
    noise: 0.5,
    decimals: 1,
    pins: { 2021: 30.6 },
  },
  { code: "agri_labor_productivity", from: 42300, to: 56800, spread: 9000, converge: 0.2, noise: 900, decimals: -2 },
  {
    code: "work_safety_death_rate",
    from: 0.0215,
    to: 0.0138,
    spread: -0.004,
    noise: 0.0012,
    decimals: 4,
    min: 0.004,
    shape: "early",
  },
];

export const EDUCATION_PATHS: readonly PathSpec[] = [
  {
    code: "kindergarten_grade2_share",
    from: 65.4,
    to: 76.3,
    spread: 7,
    converge: 0.3,
    noise: 0.8,
    decimals: 1,
    max: 100,
  },
  { code: "kindergarten_inclusive_share", from: 88.2, to: 93.1, spread: 2, noise: 0.6, decimals: 1, max: 99.5 },
  { code: "higher_edu_gross_enrollment", from: 62.4, to: 70.3, spread: 0, noise: 0, decimals: 1, provinceOnly: true },
  { code: "child_expected_schooling_years", from: 15.0, to: 15.6, spread: 0.3, noise: 0.05, decimals: 1 },
  { code: "vocational_progression_rate", from: 58.3, to: 71.6, spread: 4, noise: 1.2, decimals: 1 },
];

export const HEALTH_PATHS: readonly PathSpec[] = [
  { code: "life_expectancy", from: 79.62, to: 80.61, spread: 1.2, noise: 0.1, decimals: 2 },
  { code: "oop_health_expenditure_share", from: 27.6, to: 25.7, spread: -1.5, noise: 0.3, decimals: 1 },
  { code: "county_visit_rate", from: 87.2, to: 90.6, spread: 1, noise: 0.5, decimals: 1, max: 99 },
  { code: "family_doctor_key_group_coverage", from: 71.5, to: 82.3, spread: 3, noise: 1, decimals: 1 },
  { code: "premature_chronic_mortality", from: 9.42, to: 8.38, spread: -0.6, noise: 0.12, decimals: 2 },
  { code: "cancer_5yr_survival", from: 40.6, to: 44.6, spread: 2.5, noise: 0.3, decimals: 1 },
  { code: "childcare_slots_per_1000", from: 2.05, to: 4.62, spread: 0.5, noise: 0.12, decimals: 2, shape: "early" },
  {
    code: "county_hospital_tertiary_bed_share",
    from: 41.8,
    to: 61.5,
    spread: 8,
    converge: 0.3,
    noise: 1.5,
    decimals: 1,
    max: 100,
    shape: "early",
  },
];

export const HRSS_PATHS: readonly PathSpec[] = [
  { code: "skilled_worker_share", from: 27.4, to: 33.8, spread: 3, noise: 0.4, decimals: 1 },
  { code: "high_skilled_share", from: 30.6, to: 35.6, spread: 2.5, noise: 0.4, decimals: 1 },
];

export const CIVIL_HOUSING_PATHS: readonly PathSpec[] = [
  { code: "housing_security_coverage", from: 18.6, to: 23.4, spread: 2, noise: 0.4, decimals: 1 },
  {
    code: "certified_caregivers_per_10k_elderly",
    from: 12.3,
    to: 26.1,
    spread: 3,
    noise: 1,
    decimals: 1,
    shape: "early",
  },
  { code: "nursing_bed_share", from: 50.2, to: 59.4, spread: 3, noise: 1, decimals: 1 },
  {
    code: "assistance_joint_handling_rate",
    from: 86.0,
    to: 99.6,
    spread: 2,
    converge: 0.9,
    noise: 0.8,
    decimals: 1,
    max: 100,
    shape: "early",
  },
];

export const ECOLOGY_PATHS: readonly PathSpec[] = [
  // Hydropower and forests: the mountain cities lead on non-fossil energy and protected land.
  { code: "non_fossil_energy_share", from: 20.8, to: 24.6, spread: -4, noise: 0.5, decimals: 1, min: 5 },
  { code: "nature_reserve_land_share", from: 8.3, to: 10.1, spread: -6, noise: 0.2, decimals: 1, min: 1 },
  { code: "key_species_protection_rate", from: 90.5, to: 96.2, spread: 0, noise: 0, decimals: 1, provinceOnly: true },
  { code: "village_sewage_treatment_coverage", from: 84.5, to: 96.2, spread: 2, noise: 0.8, decimals: 1, max: 100 },
  {
    code: "village_sewage_effluent_compliance",
    from: 78.0,
    to: 95.4,
    spread: 3,
    noise: 1.2,
    decimals: 1,
    max: 100,
    shape: "early",
  },
];
