// The postcode → area table (PC6 and PC4 codes): places a register extract's households without an area column.
MATCH (p:Postcode)
RETURN p.code AS code, p.area_code AS area_code
