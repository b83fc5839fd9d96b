-- 0007: a token's stores are explicit (site, store) pairs. Until now `stores`
-- held bare store ids that applied in every site of the token (sites × stores):
-- a token for sites [a, b] and store x acted for x in both. From here `stores`
-- holds [{"site":"a","store":"x"}, …]; the worker reads nothing else, so a row
-- left unconverted grants no store (fails closed), never more.
--
-- Existing rows: a token of one site pairs each id with it (that was never
-- ambiguous). A token of several sites keeps the pairs whose store exists in
-- that site now, the stores it could actually have meant. Report tokens are
-- converted alike: their stores were ignored before and now narrow what they
-- see (arrivals, deals and leads of those stores only), less never more.
-- Only rows still holding bare ids (JSON text entries) are touched, so running
-- this again changes nothing.
UPDATE tokens SET stores = (
  SELECT json_group_array(json_object('site', s.value, 'store', t.value))
  FROM json_each(tokens.sites) s, json_each(tokens.stores) t
  WHERE t.type = 'text'
    AND (json_array_length(tokens.sites) = 1
         OR EXISTS (SELECT 1 FROM stores st WHERE st.site_key = s.value AND st.store_id = t.value))
)
WHERE EXISTS (SELECT 1 FROM json_each(tokens.stores) WHERE type = 'text');
