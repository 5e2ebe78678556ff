"""The words the seeded archive is made of: names, terms, types, outlets, title parts, body words."""


def words(text):
    """Split a word list; an underscore joins the words of one item ("Saudi_Arabia")."""
    return [word.replace("_", " ") for word in text.split()]


# Names.

FIRST_NAMES = words("""
Aaron Adam Ahmad Ali Amir Amos Anna Ariel Asher Aylin Aziz Barbara Bassam Benjamin Bilal Carmen Catherine
Charles Clara Daniel Dalia David Deniz Dina Ehud Elena Elif Eliot Emily Emre Eran Ethan Farah Farzin Fatima
Gabriel Ghaith Hadi Hamid Hana Hannah Hassan Hiba Ibrahim Ilan Irina Isabel James Jana Jonathan Joseph Karim
Katherine Kaveh Laila Layla Leila Lior Lucas Madeleine Mahmoud Mariam Mark Maya Mehmet Michael Mona Murat
Nadia Nasser Natalie Nicholas Nimrod Noa Noura Omar Oren Patrick Rachel Rami Rana Reza Robert Ruth Sahar Said
Salim Samuel Sara Sarah Selin Shira Simon Soner Tamar Tarek Thomas Victoria Walid Yael Yasmine Yossi Youssef
Zainab Zeynep Ziad
""")
LAST_NAMES = words("""
Abadi Abboud Abdullah Adler Ahmadi Akbari Alavi Alon Amin Arslan Asadi Ashkenazi Aydin Azoulay Bakri Barak
Barzani Bauer Ben-David Berman Bishara Brennan Caldwell Chalabi Cohen Cook Darwish Dayan Demir Doran Eisenberg
Elias Farouk Feldman Fischer Friedman Gamal Ghanem Goldberg Green Haddad Hakimi Halabi Hamdan Harel Hartley
Hashemi Hayes Hosseini Hughes Jaber Jafari Kahn Kaplan Karami Katz Kaya Khalil Khoury Knights Kurdi Landau
Levitt Lewis Madani Mansour Marshall Mazur Meyer Mizrahi Moradi Morgan Nasr Nazari Noorani Ozturk Peretz
Quinn Rahimi Rashid Rezaei Rosen Ross Sadr Saleh Salem Satloff Schenker Segal Shapiro Sharif Simsek Sokolov
Stein Sullivan Tabatabai Tahir Taylor Vatanka Wagner Walker Weiss White Yadlin Yildiz Yousef Zaman Zilber
""")

# Taxonomy.

TOPIC_BASES = words("""
Arab-Israeli_Relations Counterterrorism Democracy_and_Reform Energy_and_Economics Great_Power_Competition
Gulf_Security Military_and_Security Nuclear_Proliferation Peace_Process Sanctions Terrorism U.S._Policy
""")
TOPIC_QUALIFIERS = words("""
Maritime Regional Economic Military Nuclear Cyber Financial Diplomatic Humanitarian Energy Water Border
Naval Air Missile Intelligence Religious Tribal Sectarian Electoral Judicial Media Youth Labor Trade Defense
Strategic Civilian Political Digital Food Health Refugee Arms Security
""")
TOPIC_NOUNS = words("""
Security Policy Reform Cooperation Competition Diplomacy Governance Deterrence Strategy Sanctions Aid
Stability Networks Markets Rights Institutions Alliances Conflict Negotiations Modernization Crisis Finance
Infrastructure Narratives Law Ideology Politics Trends Risks Operations Capabilities Programs
Agreements Oversight
""")
PLACES = words("""
Iran Iraq Syria Lebanon Israel Jordan Egypt Saudi_Arabia Yemen Oman Qatar Bahrain Kuwait
United_Arab_Emirates Turkey Libya Tunisia Algeria Morocco Sudan Afghanistan Pakistan Cyprus Gaza
West_Bank Kurdistan Sinai Golan Red_Sea Persian_Gulf Caucasus Central_Asia Horn_of_Africa Sahel Levant
Maghreb Mesopotamia Anatolia Baghdad Tehran Damascus Beirut Amman Cairo Riyadh Doha Abu_Dhabi Dubai Ankara
Istanbul Tripoli Tunis Algiers Rabat Sanaa Aden Basra Mosul Erbil Aleppo Idlib Homs Jerusalem Haifa Tabriz
Isfahan Mashhad Jeddah Muscat Khartoum Benghazi Raqqa Deir_ez-Zor Hodeida Kirkuk
""")
PLACE_QUALIFIERS = words("""
Northern Southern Eastern Western Central Coastal Greater Upper Lower Rural Urban Inner Outer Border
""")
TAG_WORDS = words("""
drones militias elections sanctions oil gas shipping refugees protests succession ceasefire reconstruction
smuggling cyber missiles water wheat currency debt tourism corruption media clerics tribes ports pipelines
satellites hostages prisoners courts parliaments unions students women minorities diaspora
""")
TAG_MODIFIERS = words("""
regional local maritime illicit proxy cross-border state-backed online covert informal emergency bilateral
multilateral rising contested failed new long-term armed foreign youth-led digital urban rural seasonal
offshore unregulated state private military religious political
""")

PUBLICATION_TYPES = [  # slug, name, weight in the archive
    ("articles-op-eds", "Articles & Op-Eds", 30),
    ("policywatch", "PolicyWatch", 40),
    ("policy-notes", "Policy Notes", 6),
    ("policy-focus", "Policy Focus", 3),
    ("testimony", "Testimony", 2),
    ("fikra-forum", "Fikra Forum", 19),
]
OUTLETS = words("""
Foreign_Affairs Foreign_Policy The_Wall_Street_Journal The_Washington_Post The_New_York_Times The_Hill
Politico The_Atlantic Newsweek The_National_Interest War_on_the_Rocks Haaretz Al-Monitor Asharq_Al-Awsat
""")

# Titles.

ACTORS = words("""
Iran Hezbollah Hamas Israel Saudi_Arabia Turkey Russia China Egypt the_Houthis the_IRGC Iraq the_Islamic_State
Qatar the_UAE Jordan the_Kurds Assad Tehran Moscow Beijing Ankara Riyadh Washington the_Palestinian_Authority
the_Gulf_States Lebanon Syria Libya Yemen Morocco Algeria Oman Bahrain Kuwait Europe
""")
TITLE_NOUNS = words("""
Nuclear_Program Drone_Campaign Sanctions_Regime Ceasefire Elections Economic_Crisis Proxy_Network
Missile_Arsenal Maritime_Strategy Energy_Deals Succession_Struggle Reform_Agenda Security_Partnership
Arms_Deals Border_Policy Refugee_Crisis Normalization_Talks Counterterrorism_Cooperation Oil_Exports
Currency_Collapse Water_Crisis Intelligence_Services Military_Modernization Diplomatic_Outreach
Protest_Movement Media_Strategy Cyber_Operations Naval_Buildup Reconstruction_Plans Debt_Problem
""")
TITLE_VERBS = words("Tests Challenges Reshapes Complicates Undermines Strengthens Threatens Exposes Courts")
TITLE_ADJECTIVES = words("Quiet Risky Overlooked Fragile Growing Hidden Shifting Costly Uneasy Emerging")
TITLE_TAILS = [
    "What Comes Next",
    "Options for Washington",
    "A Closer Look",
    "Risks and Opportunities",
    "Implications for U.S. Policy",
    "The View from the Region",
    "Lessons Learned",
    "A Policy Agenda",
    "Between Escalation and Restraint",
    "Myths and Realities",
]
TITLE_TEMPLATES = [
    "{a_poss} {noun}: {tail}",
    "How {a} {verb} {b_poss} {noun}",
    "The {adj} {noun} in {place}",
    "{a_poss} {noun} {verb} {b}",
    "What {a_poss} {noun} Means for {b}",
    "{place} After the {noun}",
    "Countering {a_poss} {noun}",
    "The Case for a New Approach to {a_poss} {noun}",
    "{a} and {b}: The {adj} {noun}",
    "Inside {a_poss} {noun}",
    "{a_poss} {adj} {noun} and U.S. Policy",
    "Why {a_poss} {noun} Matters in {place}",
]

# Body text: words in order of frequency (function words first), drawn with Zipf weights, plus rare
# words with a tiny flat weight so each turns up in a few hundred pieces at most.

COMMON_WORDS = words("""
the of and to in a that is for on with as by its this be are was it from has have not at but their which
they an more or will would than could also been other these about over after who into while what such
policy security Iran Syria United_States Israel regime government military Washington region regional
forces political economic support officials Tehran administration sanctions nuclear war Iraq
strategy Hezbollah Russia leaders power influence pressure threat deal efforts Gulf president country
groups international attacks Saudi_Arabia relations Turkey allies diplomatic public conflict Lebanon
Egypt Jordan Hamas interests agreement talks ceasefire militias oil energy economy reform elections
intelligence partners Congress Europe China Moscow Beijing Ankara Riyadh Cairo Baghdad Damascus Beirut
Gaza border refugees aid reconstruction campaign missile drones deterrence escalation negotiations
cooperation stability crisis protests opposition parliament Kurdish Sunni Shia coalition terrorism
counterterrorism jihadist Islamic_State militants networks funding smuggling weapons arms program enrichment
inspectors agency sanctions_relief market prices exports currency inflation budget debt investment
infrastructure water drought food humanitarian civilians displaced ministers minister prime_minister
king crown_prince supreme_leader clerics judiciary courts media press narrative propaganda information
cyber maritime shipping ports navy air_force ground troops bases deployment withdrawal presence
strategic tactical long-term short-term significant important likely unlikely new old recent growing
declining key major minor central critical careful difficult clear uncertain serious broader direct
indirect local national global domestic foreign senior junior former current future past decision
decisions step steps approach approaches option options risk risks cost costs benefit benefits goal goals
challenge challenges opportunity opportunities question questions answer response responses signal
signals message messages leverage incentives commitments guarantees framework mechanism process period
years months weeks days time history context consequences implications assessment analysis evidence
report reports sources statement statements speech meeting meetings summit visit visits delegation envoy
ambassador embassy consulate mission
""")
RARE_WORDS = words("""
palimpsest irredentism kleptocracy revanchism suzerainty thalassocracy interregnum gerontocracy dirigisme
autarky brinkmanship casuistry jingoism kakistocracy lodestar machination oligopoly parsimony quagmire
rapprochement sinecure teleology usufruct verisimilitude zealotry quiescence panopticon obduracy mendacity
lacuna heterodoxy eschatology desuetude crepuscular anodyne recondite halcyon apotheosis ineffable lugubrious
perspicacious zeitgeist obfuscation quixotic sesquipedalian hegemonic entente filibuster caliphate
""")
RARE_SHARE = 2.5e-6  # each rare word's share of all words: ~0.1% of pieces contain it
WORDS = COMMON_WORDS + RARE_WORDS


# People's titles.

EXPERT_TITLES = (
    ["Senior Fellow"] * 6 + ["Fellow"] * 4 + ["Distinguished Fellow", "Visiting Fellow", "Adjunct Fellow"] * 2
)
CONTRIBUTOR_TITLES = ["", "", "Visiting Fellow", "Adjunct Fellow", "Research Assistant", "Junior Fellow"]
